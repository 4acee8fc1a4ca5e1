package io.stipple.engine.classifier;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.data.Attribute;
import io.stipple.engine.metrics.AttributeTally;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed measuring classifier loads and is as accurate on real test renders as its card says. */
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
}
