package io.stipple.gateway.rest.model;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Thresholding", description = "Dynamic thresholding of the predicted image (Imagen).")
public record ThresholdingRequest(
        @DecimalMin("0.5") @DecimalMax("1.0")
        @Schema(description = "Percentile of absolute pixel values used as clip bound.", defaultValue = GenerationDefaults.THRESHOLD_RATIO)
        Double ratio,

        @DecimalMin("1.0") @DecimalMax("10.0")
        @Schema(description = "Largest clip bound.", defaultValue = GenerationDefaults.THRESHOLD_MAX_VALUE)
        Double maxValue) {
}
