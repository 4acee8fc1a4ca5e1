package io.stipple.workbench.classifier;

import io.stipple.engine.classifier.AttributeClassifier;
import io.stipple.engine.classifier.NoiseAwareClassifier;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.data.Attribute;
import io.stipple.workbench.metrics.AttributeTally;
import io.stipple.engine.schedulers.NoiseSchedule;
import io.stipple.engine.schedulers.SchedulerConfigs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed classifiers load and are as accurate on real test renders as their cards say. */
class BundledClassifierTest {

    static final Path BUNDLED = Path.of("..", "models", "stipple-classifier-16", "1");

    @Test
    void atLeast99PercentPerAttributeOnRealTestRendersAt16And64() {
        try (AttributeClassifier classifier = new AttributeClassifier(BUNDLED)) {
            for (int resolution : new int[] {16, 64}) {
                AttributeTally tally = RealRenderScores.measure(classifier, 300, resolution).accuracy();
                for (Attribute attribute : Attribute.values()) {
                    assertTrue(tally.rate(attribute) >= 0.99,
                            attribute.key() + " at " + resolution + ": " + tally.rate(attribute));
                }
            }
        }
    }

    static final Path GUIDANCE = Path.of("..", "models", "stipple-guidance-classifier-16", "1");

    @Test
    void guidanceClassifierSeesColourPositionAndBackgroundOfBarelyNoisyRenders() throws Exception {
        NoiseSchedule schedule = NoiseSchedule.of(SchedulerConfigs.fromFile(GUIDANCE.resolve("scheduler_config.json")));
        try (NoiseAwareClassifier classifier = new NoiseAwareClassifier(GUIDANCE)) {
            AttributeTally tally = NoisyAccuracy.measure(classifier, schedule, 200, 0, 1);
            for (Attribute attribute : List.of(Attribute.COLOUR, Attribute.POSITION, Attribute.BACKGROUND)) {
                assertTrue(tally.rate(attribute) >= 0.99, attribute.key() + ": " + tally.rate(attribute));
            }
        }
    }
}
