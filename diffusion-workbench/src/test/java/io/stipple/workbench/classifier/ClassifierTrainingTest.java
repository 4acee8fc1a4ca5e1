package io.stipple.workbench.classifier;

import io.stipple.engine.classifier.AttributeClassifier;
import io.stipple.engine.classifier.Classification;
import io.stipple.engine.classifier.ClassifierConfig;
import io.stipple.engine.classifier.ClassifierExport;
import io.stipple.engine.classifier.NoiseAwareClassifier;
import io.stipple.engine.classifier.SpecGradient;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.data.Attribute;
import io.stipple.workbench.data.Batch;
import io.stipple.engine.data.CaptionParser;
import io.stipple.workbench.data.ProceduralShapes;
import io.stipple.engine.data.SceneSpec;
import io.stipple.workbench.data.Split;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.schedulers.NoiseSchedule;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.training.TrainerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat32;

/** Tiny classifiers (8x8, a few thousand weights) trained for a few steps: the plumbing, not the accuracy. */
class ClassifierTrainingTest {

    private static final TrainerConfig TRAINER = new TrainerConfig(3e-3f, 5, 0.9f, 0.999f, 1e-8f, 1f, 0.9f);

    private static ClassifierConfig tiny(boolean noiseAware) {
        return new ClassifierConfig(8, new int[] {8, 8, 8}, 1, 16, 4, noiseAware, noiseAware ? 8 : 0);
    }

    @TempDir
    Path dir;

    private static float train(ClassifierTraining training, int steps) {
        float sum = 0;
        for (int i = 0; i < steps; i++) {
            sum += training.train(32).loss();
        }
        return sum / steps;
    }

    private static void export(ClassifierTraining training, ClassifierConfig config, Path out) throws IOException {
        Map<String, TFloat32> weights = training.averagedWeights();
        try {
            ClassifierExport.export(config, weights, out);
        } finally {
            weights.values().forEach(TFloat32::close);
        }
    }

    @Test
    void cleanClassifierLossFallsAndTheExportClassifiesAnyResolution() throws IOException {
        ClassifierConfig config = tiny(false);
        Path out = dir.resolve("clean");
        try (ClassifierTraining training = new ClassifierTraining(config, TRAINER, null, 7)) {
            float early = train(training, 5);
            train(training, 50);
            float late = train(training, 5);
            assertTrue(late < early, "loss should fall: " + early + " -> " + late);
            export(training, config, out);
        }
        try (AttributeClassifier classifier = new AttributeClassifier(out)) {
            assertEquals(8, classifier.resolution());
            Batch batch = ProceduralShapes.batch(Split.TEST, 0, 4, 32);
            Classification result = classifier.classify(batch.images(), 4, 32);
            assertEquals(4, result.count());
            assertEquals(4 * 16, result.features().length);
            for (int[] classes : result.classes()) {
                for (Attribute attribute : Attribute.values()) {
                    int c = classes[attribute.ordinal()];
                    assertTrue(c >= 0 && c < attribute.classes());
                }
            }
            // The same images at the network's own size, rendered directly, give nearly the same features.
            Classification direct = classifier.classify(ProceduralShapes.batch(Split.TEST, 0, 4, 8).images(), 4, 8);
            for (int i = 0; i < direct.features().length; i++) {
                assertEquals(direct.features()[i], result.features()[i], 0.05f + 0.05f * Math.abs(direct.features()[i]));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new NoiseAwareClassifier(out));
    }

    @Test
    void noiseAwareGradientMatchesFiniteDifferencesOfLogProb() throws IOException {
        ClassifierConfig config = tiny(true);
        NoiseSchedule schedule = NoiseSchedule.of(SchedulerConfigs.defaults("DDPMScheduler"));
        Path out = dir.resolve("noisy");
        try (ClassifierTraining training = new ClassifierTraining(config, TRAINER, schedule, 3)) {
            train(training, 20);
            export(training, config, out);
        }
        try (NoiseAwareClassifier classifier = new NoiseAwareClassifier(out)) {
            float[] x = ProceduralShapes.batch(Split.TEST, 5, 2, 8).images();
            float[] t = {100f, 600f};
            List<SceneSpec> specs = List.of(CaptionParser.parse("a small red star at the top"), SceneSpec.any());
            NoiseAwareClassifier.LogProbGradient at = classifier.logProbGradient(x, t, specs);
            int perImage = 8 * 8 * 3;
            for (int i = perImage; i < 2 * perImage; i++) {
                assertEquals(0f, at.gradient()[i], "an empty spec has no gradient");
            }
            assertEquals(0f, at.logProb()[1]);
            float[] viaGuidance = new SpecGradient(classifier, specs)
                    .gradLogProbability(Tensor.of(x, 2, 8, 8, 3), 100f);
            float[] sameT = classifier.logProbGradient(x, new float[] {100f, 100f}, specs).gradient();
            assertArrayEquals(sameT, viaGuidance);
            assertEquals(30, NoisyAccuracy.measure(classifier, schedule, 30, 500, 1).samples());
            float h = 1e-2f;
            for (int pixel : new int[] {0, 7, 100, 150, 191}) {
                float[] plus = x.clone();
                float[] minus = x.clone();
                plus[pixel] += h;
                minus[pixel] -= h;
                double numeric = (classifier.logProbGradient(plus, t, specs).logProb()[0]
                        - classifier.logProbGradient(minus, t, specs).logProb()[0]) / (2 * h);
                assertEquals(numeric, at.gradient()[pixel], 2e-3 + 0.05 * Math.abs(numeric), "pixel " + pixel);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new AttributeClassifier(out));
        assertThrows(IllegalArgumentException.class, () -> new AttributeClassifier(dir.resolve("nothing")));
    }
}
