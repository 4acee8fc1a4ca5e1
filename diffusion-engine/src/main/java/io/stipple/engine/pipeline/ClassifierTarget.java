package io.stipple.engine.pipeline;

import io.stipple.engine.classifier.NoiseAwareClassifier;
import io.stipple.engine.data.Attribute;
import io.stipple.engine.data.CaptionParser;
import io.stipple.engine.data.Label;
import io.stipple.engine.data.SceneSpec;
import java.util.Map;

/**
 * Classifier guidance for a request: every image is pushed, with strength {@code scale}, towards the
 * attributes its prompt names, with {@code label}'s attribute set to {@code label} (e.g. "star" on
 * "a red circle" asks for a red star). The gradient comes from a noise-aware attribute classifier.
 */
public record ClassifierTarget(NoiseAwareClassifier classifier, double scale, String label) {

    public ClassifierTarget {
        if (classifier == null) {
            throw new IllegalArgumentException("classifier guidance needs a classifier");
        }
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("classifier guidance scale must be finite and >= 0, got " + scale);
        }
        attributeOf(label);
    }

    /** What the classifier should see in an image of {@code prompt}. */
    public SceneSpec specFor(String prompt) {
        Map.Entry<Attribute, Label> named = attributeOf(label);
        return CaptionParser.parse(prompt).with(named.getKey(), named.getValue());
    }

    private static Map.Entry<Attribute, Label> attributeOf(String label) {
        if (label == null) {
            throw new IllegalArgumentException("classifier guidance needs a label");
        }
        return CaptionParser.label(label).orElseThrow(() -> new IllegalArgumentException(
                "\"" + label + "\" is no label of the attribute classifier (shapes, colours, sizes, positions, backgrounds)"));
    }
}
