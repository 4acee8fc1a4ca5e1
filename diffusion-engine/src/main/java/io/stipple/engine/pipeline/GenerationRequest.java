package io.stipple.engine.pipeline;

import io.stipple.engine.guidance.GuidanceSettings;
import java.util.Map;

/**
 * One text-to-image request in the engine's own terms (services map their job specs onto it).
 *
 * @param negativePrompt     replaces the empty unconditional prompt of guidance; "" for none
 * @param numImages          image {@code i} draws its noise from (seed, i), so it does not depend on
 *                           how many were asked for
 * @param schedulerSettings  diffusers {@code scheduler_config.json} keys set on top of the sampler's
 *                           defaults over the model's schedule, e.g. {@code timestep_spacing},
 *                           {@code use_karras_sigmas}, {@code thresholding}; recorded in each PNG
 */
public record GenerationRequest(String prompt, String negativePrompt, int numImages, long seed, SamplerChoice sampler,
        int steps, GuidanceSettings guidance, Map<String, ?> schedulerSettings) {

    public GenerationRequest {
        if (prompt == null || sampler == null || guidance == null) {
            throw new IllegalArgumentException("prompt, sampler and guidance are required");
        }
        if (numImages < 1) {
            throw new IllegalArgumentException("num_images must be >= 1, got " + numImages);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        schedulerSettings = schedulerSettings == null ? Map.of() : Map.copyOf(schedulerSettings);
    }

    /** What this request must share with others to be sampled in one batch with them. */
    public SamplingSettings samplingSettings() {
        return new SamplingSettings(sampler, steps, guidance, schedulerSettings);
    }
}
