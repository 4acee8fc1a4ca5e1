package io.stipple.gateway.rest.model;

import io.stipple.contracts.spec.FineTuneMethod;
import io.stipple.contracts.spec.Priority;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import static io.stipple.gateway.rest.model.FineTuneDefaults.*;

/**
 * Body of {@code POST /v1/finetunes}: DreamBooth fine-tuning of a base model on 3-10 uploaded
 * images of one subject. Unknown fields are rejected.
 */
@Schema(name = "FineTuneRequest", description = "A DreamBooth fine-tuning job.")
public record FineTuneRequest(
        @Pattern(regexp = MODEL_REF, message = "must be written name@version")
        @Schema(description = "Model version to fine-tune, name@version; default: the bundled base model.")
        String baseModel,

        @NotBlank @Size(max = 64)
        @Schema(required = true, description = "Upload (POST /v1/uploads) holding 3 to 10 images of the subject.")
        String instanceUploadId,

        @Pattern(regexp = "[a-z]{2,16}", message = "must be 2 to 16 lower-case letters")
        @Schema(description = "Rare token that will name the subject; must not be a common word.", defaultValue = IDENTIFIER_TOKEN)
        String identifierToken,

        @NotBlank @Pattern(regexp = "[a-z]{2,32}", message = "must be 2 to 32 lower-case letters")
        @Schema(required = true, description = "The subject's class, e.g. star; the instance prompt is \"a <token> <class>\".")
        String classNoun,

        @Valid
        @Schema(description = "Prior-preservation loss settings.")
        PriorPreservationRequest priorPreservation,

        @Min(1) @Max(MAX_STEPS)
        @Schema(description = "Training steps; default: " + FULL_STEPS + " with full, " + LORA_STEPS + " with lora, "
                + SD_LORA_STEPS + " on an imported Stable Diffusion base.")
        Integer steps,

        @DecimalMin(value = "0.0", inclusive = false) @DecimalMax("0.01")
        @Schema(description = "Learning rate; default: " + FULL_LEARNING_RATE + " with full, " + LORA_LEARNING_RATE
                + " with lora, " + SD_LORA_LEARNING_RATE + " on an imported Stable Diffusion base.")
        Double learningRate,

        @Min(1) @Max(MAX_BATCH)
        @Schema(description = "Images per step.", defaultValue = BATCH_SIZE)
        Integer batchSize,

        @PositiveOrZero
        @Schema(description = "Seed of every random draw; chosen by the server when absent.")
        Long seed,

        @Schema(description = "Whether the text encoder is trained too (with lora: adapters on its attention); default: true with lora, false with full. An imported Stable Diffusion base keeps it frozen (true is refused).")
        Boolean trainTextEncoder,

        @Schema(description = "full or lora; default full, and lora (the only one) for an imported Stable Diffusion base.", defaultValue = METHOD)
        FineTuneMethod method,

        @Min(1) @Max(MAX_LORA_RANK)
        @Schema(description = "Adapter rank; only with method lora (default " + LORA_RANK + ", " + SD_LORA_RANK
                + " on an imported Stable Diffusion base).")
        Integer loraRank,

        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,63}", message = "must be lower-case letters, digits, '.', '_' or '-'")
        @Schema(required = true, description = "Name of the model the new version is registered under.")
        String outputModelName,

        @Schema(description = "Scheduling class.", defaultValue = GenerationDefaults.PRIORITY)
        Priority priority,

        @Valid
        @Schema(description = "Signed notifications about this job.")
        WebhookRequest webhook) {
}
