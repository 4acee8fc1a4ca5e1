package io.stipple.contracts.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a job does. JSON: the lower-case name. */
public enum JobKind {
    @JsonProperty("generation")
    GENERATION,
    @JsonProperty("finetune")
    FINETUNE,
    /** A model brought by a tenant, validated and registered (docs/importing-models.md). */
    @JsonProperty("model_import")
    MODEL_IMPORT;
}
