package io.stipple.contracts.spec;

import io.stipple.contracts.Envelope;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
 * @param loras               LoRA versions stacked over {@code model} (each adapts it), at most
 *                            {@value #MAX_LORAS}, each named once; empty for none (schema 1.2)
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
        OutputFormat outputFormat,
        List<LoraRef> loras) implements JobSpec {

    /** LoRAs per job: each adds its rank to every layer it changes, so the cost of a step grows with them. */
    public static final int MAX_LORAS = 8;

    private static final String TYPE = "generation spec";

    /** A generation without LoRAs. */
    public GenerationSpec(String prompt, String negativePrompt, int numImages, long seed, Sampler sampler,
            SamplerSettings samplerSettings, int steps, double guidanceScale, double guidanceRescale,
            Thresholding thresholding, ClassifierGuidance classifierGuidance, Upscale upscale, InitImage initImage,
            String maskUploadId, ModelRef model, Priority priority, WebhookSpec webhook, OutputFormat outputFormat) {
        this(prompt, negativePrompt, numImages, seed, sampler, samplerSettings, steps, guidanceScale, guidanceRescale,
                thresholding, classifierGuidance, upscale, initImage, maskUploadId, model, priority, webhook, outputFormat,
                List.of());
    }

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
        loras = loras == null ? List.of() : loras;
        requireDistinct(loras);
        loras = List.copyOf(loras);
    }

    private static void requireDistinct(List<LoraRef> loras) {
        if (loras.size() > MAX_LORAS) {
            throw new IllegalArgumentException(TYPE + ": at most " + MAX_LORAS + " loras, got " + loras.size());
        }
        Set<ModelRef> seen = new HashSet<>();
        for (int i = 0; i < loras.size(); i++) {
            if (loras.get(i) == null) {
                throw new IllegalArgumentException(TYPE + ": loras[" + i + "] is null");
            }
            if (!seen.add(loras.get(i).model())) {
                throw new IllegalArgumentException(TYPE + ": loras[" + i + "].model names " + loras.get(i).model()
                        + " a second time; give each LoRA once, with the scale it should have");
            }
        }
    }

    @Override
    public JobKind kind() {
        return JobKind.GENERATION;
    }
}
