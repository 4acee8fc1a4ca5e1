package io.stipple.engine.classifier;

import io.stipple.engine.data.Attribute;
import io.stipple.engine.data.Label;
import io.stipple.engine.data.Scene;
import io.stipple.engine.data.SceneSpec;
import java.util.List;

/**
 * The classifiers' label vector: the one-hot codes of all attributes concatenated in
 * {@link Attribute} order (shape 7, colour 8, size 2, position 9, background 4 = 30 values). An
 * attribute a spec omits is all zeros, so sum(labels * log_softmax) is log p(named attributes | x)
 * under the heads' independence: the same expression is the training loss (with full labels) and
 * the classifier-guidance objective (with a prompt's spec).
 */
public final class LabelLayout {

    /** Total length of a label vector. */
    public static final int WIDTH = offset(Attribute.values().length);

    private LabelLayout() {
    }

    /** Where the attribute's one-hot block starts. */
    public static int offset(int attributeOrdinal) {
        int offset = 0;
        for (int i = 0; i < attributeOrdinal; i++) {
            offset += Attribute.values()[i].classes();
        }
        return offset;
    }

    public static int offset(Attribute attribute) {
        return offset(attribute.ordinal());
    }

    /** Writes the spec's label vector at {@code out[at .. at + WIDTH)}. */
    public static void encode(SceneSpec spec, float[] out, int at) {
        for (Attribute attribute : Attribute.values()) {
            spec.get(attribute).map(Label::ordinal)
                    .ifPresent(index -> out[at + offset(attribute) + index] = 1f);
        }
    }

    /** Label vectors of many specs, row-major [specs.size(), WIDTH]. */
    public static float[] encodeSpecs(List<SceneSpec> specs) {
        float[] out = new float[specs.size() * WIDTH];
        for (int i = 0; i < specs.size(); i++) {
            encode(specs.get(i), out, i * WIDTH);
        }
        return out;
    }

    /** Full label vectors of scenes (every attribute named). */
    public static float[] encodeScenes(List<Scene> scenes) {
        return encodeSpecs(scenes.stream().map(SceneSpec::of).toList());
    }
}
