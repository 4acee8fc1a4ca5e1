package io.stipple.workbench.classifier;

import io.stipple.engine.classifier.AttributeClassifier;
import io.stipple.engine.classifier.Classification;
import io.stipple.workbench.data.Batch;
import io.stipple.workbench.data.ProceduralShapes;
import io.stipple.engine.data.SceneSpec;
import io.stipple.workbench.data.Split;
import io.stipple.workbench.metrics.AttributeTally;

/**
 * The clean classifier run over real renders of the held-out {@link Split#TEST} seeds: the first
 * {@code count} samples rendered at {@code resolution} (64 exercises the area-downsampling
 * policy). Gives its accuracy against the scenes' ground truth and the features of the real
 * reference set for the Fréchet distance.
 *
 * @param features row-major [count, featureDim]
 */
public record RealRenderScores(AttributeTally accuracy, float[] features, int count) {

    static final int CHUNK = 100;

    public static RealRenderScores measure(AttributeClassifier classifier, int count, int resolution) {
        AttributeTally tally = new AttributeTally();
        float[] features = null;
        for (int first = 0; first < count; first += CHUNK) {
            int n = Math.min(CHUNK, count - first);
            Batch batch = ProceduralShapes.batch(Split.TEST, first, n, resolution);
            Classification result = classifier.classify(batch.images(), n, resolution);
            for (int i = 0; i < n; i++) {
                tally.add(SceneSpec.of(batch.samples().get(i).scene()), result.classes()[i]);
            }
            features = Classification.append(features, result.features());
        }
        return new RealRenderScores(tally, features, count);
    }
}
