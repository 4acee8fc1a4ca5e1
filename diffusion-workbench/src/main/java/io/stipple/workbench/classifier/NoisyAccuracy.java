package io.stipple.workbench.classifier;

import io.stipple.engine.classifier.Classification;
import io.stipple.engine.classifier.NoiseAwareClassifier;
import io.stipple.workbench.data.Batch;
import io.stipple.workbench.data.ProceduralShapes;
import io.stipple.engine.data.SceneSpec;
import io.stipple.workbench.data.Split;
import io.stipple.workbench.metrics.AttributeTally;
import io.stipple.engine.schedulers.NoiseSchedule;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The noise-aware classifier's accuracy on real TEST renders corrupted to one training timestep
 * with the diffusion schedule's {@code addNoise} (noise seeded by {@code seed}): how much it can
 * still tell at that noise level, which bounds how useful its guidance gradient is there.
 */
public final class NoisyAccuracy {

    private NoisyAccuracy() {
    }

    public static AttributeTally measure(NoiseAwareClassifier classifier, NoiseSchedule schedule, int count,
                                         int timestep, long seed) {
        AttributeTally tally = new AttributeTally();
        SplittableRandom random = new SplittableRandom(seed);
        for (int first = 0; first < count; first += RealRenderScores.CHUNK) {
            int n = Math.min(RealRenderScores.CHUNK, count - first);
            Batch batch = ProceduralShapes.batch(Split.TEST, first, n, classifier.resolution());
            float[] noise = new float[batch.images().length];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (float) random.nextGaussian();
            }
            int[] t = new int[n];
            Arrays.fill(t, timestep);
            float[] noisy = schedule.addNoise(batch.images(), noise, t);
            float[] timesteps = new float[n];
            Arrays.fill(timesteps, timestep);
            Classification result = classifier.classify(noisy, n, timesteps);
            for (int i = 0; i < n; i++) {
                tally.add(SceneSpec.of(batch.samples().get(i).scene()), result.classes()[i]);
            }
        }
        return tally;
    }
}
