package io.stipple.workbench.data;

import io.stipple.engine.data.Colour;
import io.stipple.engine.data.Fill;
import io.stipple.engine.data.Scene;
import io.stipple.engine.data.ShapeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A DreamBooth subject the base dataset never contains: a yellow star painted with a
 * {@link Fill#CHECKERED} pattern. Its renders vary size, position, background and jitter (drawn
 * like the base data) but keep shape, colour and fill, the subject's identity. Instance renders
 * (for fine-tuning) and held-out renders (for measuring) come from disjoint seed ranges.
 */
public final class Subject {

    public static final ShapeKind SHAPE = ShapeKind.STAR;
    public static final Colour COLOUR = Colour.YELLOW;
    public static final Fill FILL = Fill.CHECKERED;
    /** The class noun a DreamBooth prompt pairs with the identifier ("a sks star"). */
    public static final String CLASS_NOUN = SHAPE.word();

    private Subject() {
    }

    /** The subject scene drawn from a seed. */
    public static Scene scene(long seed) {
        Scene base = SceneSampler.sample(new SplittableRandom(seed));
        return new Scene(SHAPE, COLOUR, base.size(), base.position(), base.background(), FILL,
                base.jitterX(), base.jitterY(), base.scale());
    }

    /** The first {@code count} instance scenes (for fine-tuning). */
    public static List<Scene> instances(int count) {
        return scenes(Split.SUBJECT_INSTANCE, count);
    }

    /** The first {@code count} held-out scenes (never used to fine-tune). */
    public static List<Scene> heldOut(int count) {
        return scenes(Split.SUBJECT_HELD_OUT, count);
    }

    private static List<Scene> scenes(Split split, int count) {
        List<Scene> scenes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            scenes.add(scene(split.seed(i)));
        }
        return scenes;
    }
}
