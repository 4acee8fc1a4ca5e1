package io.stipple.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a job does. JSON: the lower-case name. */
public enum JobKind {
    @JsonProperty("generation")
    GENERATION,
    @JsonProperty("finetune")
    FINETUNE;
}
