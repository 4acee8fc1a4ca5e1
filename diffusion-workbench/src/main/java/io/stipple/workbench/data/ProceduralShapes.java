package io.stipple.workbench.data;

import io.stipple.engine.data.Scene;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The built-in captioned dataset: a seed determines a scene (shape, colour, size, position,
 * background, jitter) and a caption of it. Seeds come from disjoint {@link Split}s. Rendering is
 * separate and resolution-independent, so every caption has a ground-truth image at every
 * resolution.
 */
public final class ProceduralShapes {

    private ProceduralShapes() {
    }

    /** The sample with this seed: scene first, then caption, from one random stream. */
    public static Sample sample(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Scene scene = SceneSampler.sample(random);
        return new Sample(seed, scene, CaptionWriter.write(scene, random));
    }

    /** Sample {@code index} of a split. */
    public static Sample sample(Split split, long index) {
        return sample(split.seed(index));
    }

    /** Samples {@code first .. first + count - 1} of a split, rendered into one NHWC buffer. */
    public static Batch batch(Split split, long first, int count, int resolution) {
        List<Sample> samples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            samples.add(sample(split, first + i));
        }
        return render(samples, resolution);
    }

    /** Renders given samples into one NHWC buffer. */
    public static Batch render(List<Sample> samples, int resolution) {
        int stride = resolution * resolution * SceneRenderer.CHANNELS;
        float[] images = new float[samples.size() * stride];
        for (int i = 0; i < samples.size(); i++) {
            SceneRenderer.renderInto(samples.get(i).scene(), resolution, images, i * stride);
        }
        return new Batch(samples, resolution, images);
    }
}
