package io.stipple.gateway.rest.model;

import io.stipple.contracts.spec.TimestepSpacing;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "SamplerSettings")
public record SamplerSettingsRequest(
        @DecimalMin("0.0") @DecimalMax("1.0")
        @Schema(description = "Stochasticity of DDIM; only 0 is accepted until a sampler honours another value (422 otherwise).", defaultValue = GenerationDefaults.ETA)
        Double eta,

        @Schema(description = "Karras sigma spacing for sigma-based samplers.", defaultValue = "false")
        Boolean karrasSigmas,

        @Schema(description = "How inference timesteps are spread (default: the model's own, as the engine CLI uses it: the"
                + " sampler's diffusers default over the model's schedule).")
        TimestepSpacing timestepSpacing) {
}
