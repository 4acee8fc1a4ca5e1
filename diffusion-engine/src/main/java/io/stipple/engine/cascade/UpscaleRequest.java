package io.stipple.engine.cascade;

import io.stipple.engine.image.RgbImage;
import java.util.List;

/**
 * "Upscale only": a user's image through the super-resolution stages, without a base model.
 *
 * @param image          any size; its centred square is resized to the first stage's input size
 * @param prompt         the caption, for text-conditioned stages (recorded in the PNG either way)
 * @param numImages      variants to sample; variant {@code i} uses noise (stage seed, i)
 * @param stages         one setting per stage, or null for each card's defaults
 */
public record UpscaleRequest(RgbImage image, String prompt, String negativePrompt, int numImages, long seed,
        List<StageSettings> stages) {

    public UpscaleRequest {
        if (image == null) {
            throw new IllegalArgumentException("an image to upscale is required");
        }
        if (numImages < 1) {
            throw new IllegalArgumentException("num_images must be >= 1, got " + numImages);
        }
        prompt = prompt == null ? "" : prompt;
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        stages = stages == null ? null : List.copyOf(stages);
    }
}
