package io.stipple.engine.schedulers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** DPM-Solver variant ({@code algorithm_type}): data prediction (++) or noise prediction. The SDE variants are not supported. */
public enum AlgorithmType implements WireNamed {
    DPMSOLVER_PLUS_PLUS("dpmsolver++"),
    DPMSOLVER("dpmsolver");

    private final String wireName;

    AlgorithmType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    @Override
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static AlgorithmType fromWire(String value) {
        return WireNamed.parse(AlgorithmType.class, "algorithm_type", value);
    }
}
