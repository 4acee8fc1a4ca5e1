package io.stipple.gateway.rest.model;

import io.stipple.contracts.spec.ModelRef;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/**
 * A model version a job can name.
 *
 * @param source         {@code bundled} (ships with Stipple), {@code finetune} or {@code import} (produced by one of
 *                       the tenant's jobs)
 * @param finetuneJobId  the fine-tune that produced it, for {@code finetune}
 * @param importJobId    the model import that registered it, for {@code import}
 * @param baseModel      for a LoRA version (an imported LoRA file or a LoRA fine-tune), the model it adapts: a
 *                       generation names that as {@code model} and this in {@code loras}; null otherwise
 */
@Schema(name = "Model")
public record ModelEntry(ModelRef model, String name, String version, String source, UUID finetuneJobId,
        UUID importJobId, Instant createdAt, ModelRef baseModel) {
}
