package io.stipple.contracts.spec;

/**
 * Knobs of the chosen {@link Sampler}.
 *
 * @param eta              stochasticity for DDIM / ancestral samplers, 0 (deterministic) to 1
 * @param karrasSigmas     use the Karras et al. (2022) sigma spacing for sigma-based samplers
 * @param timestepSpacing  how the inference timesteps are spread over the training schedule; null when
 *                         the request leaves it to the model: the worker then configures the sampler
 *                         from the model as the engine CLI does (the sampler's own default over a Stipple
 *                         model's schedule, the model's scheduler file by diffusers' from_config rule for
 *                         Stable Diffusion), so an API job and the CLI build the same scheduler
 */
public record SamplerSettings(double eta, boolean karrasSigmas, TimestepSpacing timestepSpacing) {
}
