package io.stipple.workbench.data;

import io.stipple.engine.data.Attribute;
import java.util.List;

/**
 * Samples rendered together: {@code images} is batch-major NHWC (N = samples.size(), H = W =
 * resolution, C = 3), values in [-1, 1].
 */
public record Batch(List<Sample> samples, int resolution, float[] images) {

    public Batch {
        samples = List.copyOf(samples);
        int expected = samples.size() * resolution * resolution * SceneRenderer.CHANNELS;
        if (images.length != expected) {
            throw new IllegalArgumentException("images has " + images.length + " floats, expected " + expected);
        }
    }

    public int size() {
        return samples.size();
    }

    /** The captions' texts, in batch order. */
    public List<String> captions() {
        return samples.stream().map(sample -> sample.caption().text()).toList();
    }

    /** Class indices of one attribute, in batch order (classifier labels). */
    public int[] labels(Attribute attribute) {
        return samples.stream().mapToInt(sample -> attribute.classOf(sample.scene())).toArray();
    }
}
