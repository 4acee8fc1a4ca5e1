package io.stipple.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a Stable Diffusion U-Net predicts; no checkpoint file records it. JSON: diffusers' names. */
public enum PredictionType {
    @JsonProperty("epsilon")
    EPSILON,
    @JsonProperty("v_prediction")
    V_PREDICTION;
}
