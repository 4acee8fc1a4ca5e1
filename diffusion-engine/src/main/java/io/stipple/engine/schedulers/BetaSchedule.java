package io.stipple.engine.schedulers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How betas are laid over the training timesteps ({@code beta_schedule}); {@code squaredcos_cap_v2} is the improved-DDPM cosine schedule. */
public enum BetaSchedule implements WireNamed {
    LINEAR("linear"),
    SCALED_LINEAR("scaled_linear"),
    SQUAREDCOS_CAP_V2("squaredcos_cap_v2");

    private final String wireName;

    BetaSchedule(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    @Override
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static BetaSchedule fromWire(String value) {
        return WireNamed.parse(BetaSchedule.class, "beta_schedule", value);
    }
}
