package io.stipple.engine.schedulers;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What the model predicts ({@code prediction_type}): the noise, the velocity {@code sqrt(abar) eps - sqrt(1-abar) x0}, or the clean sample. */
public enum PredictionType implements WireNamed {
    EPSILON("epsilon"),
    V_PREDICTION("v_prediction"),
    SAMPLE("sample");

    private final String wireName;

    PredictionType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    @Override
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static PredictionType fromWire(String value) {
        return WireNamed.parse(PredictionType.class, "prediction_type", value);
    }
}
