package io.stipple.contracts.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What a client asked for, fully resolved (every default applied, the seed chosen), so that the
 * scheduler and workers never guess. Written with a {@code "kind"} property naming the subtype.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = GenerationSpec.class, name = "generation"),
        @JsonSubTypes.Type(value = FineTuneSpec.class, name = "finetune"),
        @JsonSubTypes.Type(value = ModelImportSpec.class, name = "model_import")
})
public sealed interface JobSpec permits GenerationSpec, FineTuneSpec, ModelImportSpec {

    JobKind kind();

    Priority priority();

    /** The client's webhook, or null. */
    WebhookSpec webhook();
}
