package io.stipple.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** full: all U-Net (and optionally text encoder) weights; lora: low-rank adapters on the attention projections. JSON: the lower-case name. */
public enum FineTuneMethod {
    @JsonProperty("full")
    FULL,
    @JsonProperty("lora")
    LORA;
}
