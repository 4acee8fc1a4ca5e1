package io.stipple.engine.classifier;

import io.stipple.engine.data.Batch;
import io.stipple.engine.data.ProceduralShapes;
import io.stipple.engine.data.SceneSpec;
import io.stipple.engine.data.Split;
import io.stipple.engine.metrics.AttributeTally;

/**
 * The clean classifier's accuracy on real renders of the held-out {@link Split#TEST} seeds: the
 * first {@code count} samples rendered at {@code resolution} (64 exercises the
 * area-downsampling policy), every attribute compared with the scene's ground truth.
 */
public final class RealRenderAccuracy {

    private static final int CHUNK = 100;

    private RealRenderAccuracy() {
    }

    public static AttributeTally measure(AttributeClassifier classifier, int count, int resolution) {
        AttributeTally tally = new AttributeTally();
        for (int first = 0; first < count; first += CHUNK) {
            int n = Math.min(CHUNK, count - first);
            Batch batch = ProceduralShapes.batch(Split.TEST, first, n, resolution);
            Classification result = classifier.classify(batch.images(), n, resolution);
            for (int i = 0; i < n; i++) {
                tally.add(SceneSpec.of(batch.samples().get(i).scene()), result.classes()[i]);
            }
        }
        return tally;
    }
}
