package io.stipple.engine.schedulers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** DDPM posterior variance ({@code variance_type}): beta-tilde (small) or beta (large). Learned variances, and {@code fixed_large_log} (which diffusers takes the square root of a log of), are not supported. */
public enum VarianceType implements WireNamed {
    FIXED_SMALL("fixed_small"),
    FIXED_SMALL_LOG("fixed_small_log"),
    FIXED_LARGE("fixed_large");

    private final String wireName;

    VarianceType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    @Override
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static VarianceType fromWire(String value) {
        return WireNamed.parse(VarianceType.class, "variance_type", value);
    }
}
