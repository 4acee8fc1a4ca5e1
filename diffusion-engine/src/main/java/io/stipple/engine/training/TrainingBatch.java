package io.stipple.engine.training;

import java.util.List;
import java.util.Map;

/**
 * Clean examples for one diffusion training step.
 *
 * @param captions one caption per example (empty = unconditional)
 * @param images batch-major NHWC in [-1, 1]
 * @param lossWeights per-example loss weights (DreamBooth's prior-preservation weight), or null for all 1
 * @param extraInputs further model inputs by name, batch-major (a super-resolution stage's
 *        {@code low_res} and {@code aug_level}); empty for a base model
 */
public record TrainingBatch(List<String> captions, float[] images, float[] lossWeights,
        Map<String, float[]> extraInputs) {

    public TrainingBatch {
        captions = List.copyOf(captions);
        extraInputs = Map.copyOf(extraInputs);
        if (captions.isEmpty() || images.length % captions.size() != 0) {
            throw new IllegalArgumentException(images.length + " image floats do not split into "
                    + captions.size() + " examples");
        }
        if (lossWeights != null && lossWeights.length != captions.size()) {
            throw new IllegalArgumentException("one loss weight per example expected");
        }
    }

    public static TrainingBatch of(List<String> captions, float[] images) {
        return new TrainingBatch(captions, images, null, Map.of());
    }

    public int size() {
        return captions.size();
    }
}
