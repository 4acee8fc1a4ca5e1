package io.stipple.engine.classifier;

import io.stipple.engine.data.Batch;
import io.stipple.engine.data.ProceduralShapes;
import io.stipple.engine.data.SceneSpec;
import io.stipple.engine.data.Split;
import io.stipple.engine.metrics.AttributeTally;
import java.util.Arrays;

/** The noise-aware classifier's accuracy on clean TEST renders presented at one timestep. */
public final class NoisyAccuracy {

    private static final int CHUNK = 100;

    private NoisyAccuracy() {
    }

    public static AttributeTally measure(NoiseAwareClassifier classifier, int count, float timestep) {
        AttributeTally tally = new AttributeTally();
        for (int first = 0; first < count; first += CHUNK) {
            int n = Math.min(CHUNK, count - first);
            Batch batch = ProceduralShapes.batch(Split.TEST, first, n, classifier.resolution());
            float[] t = new float[n];
            Arrays.fill(t, timestep);
            Classification result = classifier.classify(batch.images(), n, t);
            for (int i = 0; i < n; i++) {
                tally.add(SceneSpec.of(batch.samples().get(i).scene()), result.classes()[i]);
            }
        }
        return tally;
    }
}
