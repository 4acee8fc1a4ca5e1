package io.stipple.engine.pipeline;

import io.stipple.engine.guidance.GuidanceSettings;
import io.stipple.engine.model.ImageSize;
import java.util.Map;

/**
 * One generation request in the engine's own terms (services map their job specs onto it): text to
 * image, optionally from an image ({@link ImageStart}) and with classifier guidance.
 *
 * @param negativePrompt     replaces the empty unconditional prompt of guidance; "" for none
 * @param numImages          image {@code i} draws its noise from (seed, i), so it does not depend on
 *                           how many were asked for
 * @param schedulerSettings  diffusers {@code scheduler_config.json} keys set on top of the sampler's
 *                           defaults over the model's schedule, e.g. {@code timestep_spacing},
 *                           {@code use_karras_sigmas}, {@code thresholding}; recorded in each PNG
 * @param start              image-to-image or inpainting start, or null for text to image
 * @param classifierTarget   classifier guidance, or null
 * @param size               the images' size, or null for the model's native size
 */
public record GenerationRequest(String prompt, String negativePrompt, int numImages, long seed, SamplerChoice sampler,
        int steps, GuidanceSettings guidance, Map<String, ?> schedulerSettings, ImageStart start,
        ClassifierTarget classifierTarget, ImageSize size) {

    /** Text to image at the model's native size, without classifier guidance. */
    public GenerationRequest(String prompt, String negativePrompt, int numImages, long seed, SamplerChoice sampler,
            int steps, GuidanceSettings guidance, Map<String, ?> schedulerSettings) {
        this(prompt, negativePrompt, numImages, seed, sampler, steps, guidance, schedulerSettings, null, null);
    }

    /** At the model's native size. */
    public GenerationRequest(String prompt, String negativePrompt, int numImages, long seed, SamplerChoice sampler,
            int steps, GuidanceSettings guidance, Map<String, ?> schedulerSettings, ImageStart start,
            ClassifierTarget classifierTarget) {
        this(prompt, negativePrompt, numImages, seed, sampler, steps, guidance, schedulerSettings, start,
                classifierTarget, null);
    }

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

    /** This request starting from an image (image-to-image or inpainting). */
    public GenerationRequest withStart(ImageStart imageStart) {
        return new GenerationRequest(prompt, negativePrompt, numImages, seed, sampler, steps, guidance, schedulerSettings,
                imageStart, classifierTarget, size);
    }

    /** This request with classifier guidance. */
    public GenerationRequest withClassifierTarget(ClassifierTarget target) {
        return new GenerationRequest(prompt, negativePrompt, numImages, seed, sampler, steps, guidance, schedulerSettings,
                start, target, size);
    }

    /** This request at another image size (null: the model's native size). */
    public GenerationRequest withSize(ImageSize imageSize) {
        return new GenerationRequest(prompt, negativePrompt, numImages, seed, sampler, steps, guidance, schedulerSettings,
                start, classifierTarget, imageSize);
    }

    /** A request with an image start or classifier guidance is sampled on its own, never in a shared batch. */
    public boolean samplesAlone() {
        return start != null || classifierTarget != null;
    }

    /** What this request must share with others to be sampled in one batch with them. */
    public SamplingSettings samplingSettings() {
        return new SamplingSettings(sampler, steps, guidance, schedulerSettings, size);
    }
}
