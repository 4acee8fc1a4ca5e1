package io.stipple.contracts.spec;

/**
 * Knobs of the chosen {@link Sampler}.
 *
 * @param eta              stochasticity for DDIM / ancestral samplers, 0 (deterministic) to 1
 * @param karrasSigmas     use the Karras et al. (2022) sigma spacing for sigma-based samplers
 * @param timestepSpacing  how the inference timesteps are spread over the training schedule
 */
public record SamplerSettings(double eta, boolean karrasSigmas, TimestepSpacing timestepSpacing) {

    public SamplerSettings {
        if (timestepSpacing == null) {
            timestepSpacing = TimestepSpacing.LEADING;
        }
    }
}
