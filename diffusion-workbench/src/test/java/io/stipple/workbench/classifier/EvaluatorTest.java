package io.stipple.workbench.classifier;

import io.stipple.engine.classifier.AttributeClassifier;
import io.stipple.engine.classifier.ClassifierConfig;
import io.stipple.engine.classifier.ClassifierExport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.data.Attribute;
import io.stipple.workbench.data.ProceduralShapes;
import io.stipple.workbench.data.Sample;
import io.stipple.engine.data.SceneSpec;
import io.stipple.workbench.data.Split;
import io.stipple.engine.training.TrainerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat32;

class EvaluatorTest {

    private static final int REAL = 40;

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void trainATinyClassifier() throws Exception {
        ClassifierConfig config = new ClassifierConfig(8, new int[] {8, 8, 8}, 1, 16, 4, false, 0);
        TrainerConfig trainer = new TrainerConfig(3e-3f, 5, 0.9f, 0.999f, 1e-8f, 1f, 0.9f);
        model = dir.resolve("clean");
        try (ClassifierTraining training = new ClassifierTraining(config, trainer, null, 5)) {
            for (int i = 0; i < 30; i++) {
                training.train(32);
            }
            Map<String, TFloat32> weights = training.averagedWeights();
            ClassifierExport.export(config, weights, model);
            weights.values().forEach(TFloat32::close);
        }
    }

    @Test
    void theRealReferenceItselfScoresZeroDistanceAndAtLeastTheClassifiersAccuracy() {
        try (AttributeClassifier classifier = new AttributeClassifier(model)) {
            Evaluator evaluator = new Evaluator(classifier, REAL);
            List<Sample> samples = Evaluator.testSamples(REAL);
            float[] real = ProceduralShapes.batch(Split.TEST, 0, REAL, 16).images();
            List<SceneSpec> specs = samples.stream().map(sample -> sample.caption().spec()).toList();

            EvaluationReport report = evaluator.evaluate(real, 16, specs);

            assertEquals(0.0, report.frechetDistance(), 1e-6);
            for (Attribute attribute : Attribute.values()) {
                // Captions omit attributes, and omitted ones count as right: never below plain accuracy.
                assertTrue(report.adherence().get(attribute.key()).rate()
                        >= report.classifierAccuracy().get(attribute.key()).rate(), attribute.key());
            }
            assertEquals(report, EvaluationReport.fromJson(report.toJson()));
            assertTrue(!report.toJson().contains("\n"));

            float[] noise = real.clone();
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (i * 7919 % 13) / 6.5f - 1f;
            }
            EvaluationReport flat = evaluator.evaluate(noise, 16, specs);
            assertTrue(flat.frechetDistance() > 1e-3, "garbage images should be far from real ones: " + flat.frechetDistance());
        }
    }
}
