package io.stipple.gateway.rest.model;

import io.stipple.contracts.spec.LoraRef;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Lora", description = "A LoRA version stacked over the job's model.")
public record LoraRequest(
        @NotBlank
        @Pattern(regexp = GenerationDefaults.MODEL_PATTERN, message = "must be written name@version")
        @Schema(required = true, description = "A LoRA version as name@version (an imported LoRA file or a LoRA "
                + "fine-tune) whose base_model is the job's model (GET /v1/models).", examples = "ink-style@1")
        String model,

        @DecimalMin(LoraRef.MIN_SCALE) @DecimalMax(LoraRef.MAX_SCALE)
        @Schema(description = "How strongly it applies: 1 as trained, 0 off, negative pushes the other way.",
                defaultValue = GenerationDefaults.LORA_SCALE)
        Double scale) {
}
