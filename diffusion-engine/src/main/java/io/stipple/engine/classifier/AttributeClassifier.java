package io.stipple.engine.classifier;

import io.stipple.engine.image.Resize;
import java.nio.file.Path;

/**
 * The measuring classifier: predicts every attribute of clean images and gives penultimate
 * features for the Fréchet distance. Trained on real renders only (its own seed range).
 *
 * <p>Resolution policy: images larger than the network's input (e.g. 64x64 cascade outputs) are
 * area-downsampled to it first. The dataset's 16x16 render equals the area-downsampled 64x64
 * render up to supersampling error (see SceneRendererTest), so one 16x16 classifier measures
 * both; its accuracy on downsampled real 64x64 renders is reported separately to back this up.
 */
public final class AttributeClassifier extends SavedClassifier {

    public AttributeClassifier(Path directory) {
        super(directory);
        if (noiseAware()) {
            throw new IllegalArgumentException(directory + " is a noise-aware classifier, not the clean one");
        }
    }

    /** Classifies {@code count} square images of side {@code size} (NHWC, [-1, 1]). */
    public Classification classify(float[] nhwc, int count, int size) {
        if (nhwc.length != count * size * size * 3) {
            throw new IllegalArgumentException("expected " + count + " images of " + size + "x" + size);
        }
        float[] input = size == resolution ? nhwc : Resize.resizeBatch(nhwc, count, size, resolution, Resize.Method.AREA);
        return classifyAtResolution(input, count, null);
    }
}
