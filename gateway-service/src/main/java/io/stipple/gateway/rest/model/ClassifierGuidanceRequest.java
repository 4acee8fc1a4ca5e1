package io.stipple.gateway.rest.model;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "ClassifierGuidance")
public record ClassifierGuidanceRequest(
        @NotBlank @Size(max = 64)
        @Schema(required = true, description = "Attribute label the bundled classifier knows, e.g. star or red.")
        String label,

        @DecimalMin("0.0") @DecimalMax(GenerationDefaults.MAX_CLASSIFIER_SCALE)
        @Schema(description = "Guidance strength.", defaultValue = GenerationDefaults.CLASSIFIER_SCALE)
        Double scale) {
}
