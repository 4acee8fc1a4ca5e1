package io.stipple.contracts.spec;

import io.stipple.contracts.Envelope;

/**
 * A text-to-image (or image-to-image, or inpainting) request, fully resolved by the gateway.
 *
 * @param prompt              the caption to render
 * @param negativePrompt      what to steer away from (replaces the empty unconditional prompt); may be empty
 * @param numImages           how many images; image {@code i} uses noise keyed by (seed, i), so it does not
 *                            depend on how many were asked for
 * @param seed                the seed of every random draw of the job
 * @param sampler             sampling algorithm
 * @param samplerSettings     its settings
 * @param steps               number of denoising steps of the base stage
 * @param guidanceScale       classifier-free guidance scale; 1 disables guidance
 * @param guidanceRescale     guidance rescale phi (Lin et al. 2023), 0 disables
 * @param thresholding        dynamic thresholding, or null for none
 * @param classifierGuidance  classifier guidance, or null for none
 * @param upscale             super-resolution stages after the base stage
 * @param initImage           image-to-image start, or null
 * @param maskUploadId        inpainting mask upload (white = repaint), or null; needs {@code initImage}
 * @param model               the base model version
 * @param priority            scheduling class
 * @param webhook             notifications, or null
 * @param outputFormat        result file format
 */
public record GenerationSpec(
        String prompt,
        String negativePrompt,
        int numImages,
        long seed,
        Sampler sampler,
        SamplerSettings samplerSettings,
        int steps,
        double guidanceScale,
        double guidanceRescale,
        Thresholding thresholding,
        ClassifierGuidance classifierGuidance,
        Upscale upscale,
        InitImage initImage,
        String maskUploadId,
        ModelRef model,
        Priority priority,
        WebhookSpec webhook,
        OutputFormat outputFormat) implements JobSpec {

    private static final String TYPE = "generation spec";

    public GenerationSpec {
        Envelope.require(prompt, TYPE, "prompt");
        Envelope.require(sampler, TYPE, "sampler");
        Envelope.require(model, TYPE, "model");
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        samplerSettings = samplerSettings == null ? new SamplerSettings(0.0, false, null) : samplerSettings;
        upscale = upscale == null ? Upscale.NONE : upscale;
        priority = priority == null ? Priority.NORMAL : priority;
        outputFormat = outputFormat == null ? OutputFormat.PNG : outputFormat;
        if (maskUploadId != null && initImage == null) {
            throw new IllegalArgumentException(TYPE + ": mask_upload_id needs init_image");
        }
    }

    @Override
    public JobKind kind() {
        return JobKind.GENERATION;
    }
}
