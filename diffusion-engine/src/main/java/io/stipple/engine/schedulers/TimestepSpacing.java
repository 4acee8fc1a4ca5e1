package io.stipple.engine.schedulers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How inference timesteps are picked from the training ones ({@code timestep_spacing}; see Lin et al. 2023, table 2). */
public enum TimestepSpacing implements WireNamed {
    LEADING("leading"),
    LINSPACE("linspace"),
    TRAILING("trailing");

    private final String wireName;

    TimestepSpacing(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    @Override
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static TimestepSpacing fromWire(String value) {
        return WireNamed.parse(TimestepSpacing.class, "timestep_spacing", value);
    }
}
