package io.stipple.gateway.rest.model;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "InitImage")
public record InitImageRequest(
        @NotBlank @Size(max = 64)
        @Schema(required = true, description = "Id returned by POST /v1/uploads.")
        String uploadId,

        @DecimalMin("0.0") @DecimalMax("1.0")
        @Schema(description = "0 keeps the image, 1 ignores it.", defaultValue = GenerationDefaults.INIT_STRENGTH)
        Double strength) {
}
