package io.stipple.engine.schedulers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The noise level after the last step ({@code final_sigmas_type}). */
public enum FinalSigmasType implements WireNamed {
    ZERO("zero"),
    SIGMA_MIN("sigma_min");

    private final String wireName;

    FinalSigmasType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    @Override
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static FinalSigmasType fromWire(String value) {
        return WireNamed.parse(FinalSigmasType.class, "final_sigmas_type", value);
    }
}
