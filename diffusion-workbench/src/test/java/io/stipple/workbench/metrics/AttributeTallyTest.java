package io.stipple.workbench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.engine.data.Attribute;
import io.stipple.engine.data.Background;
import io.stipple.engine.data.CaptionParser;
import io.stipple.engine.data.Colour;
import io.stipple.engine.data.Position;
import io.stipple.engine.data.Scene;
import io.stipple.engine.data.SceneSpec;
import io.stipple.engine.data.ShapeKind;
import io.stipple.engine.data.Size;
import org.junit.jupiter.api.Test;

class AttributeTallyTest {

    private static int[] predict(Scene scene) {
        int[] classes = new int[Attribute.values().length];
        for (Attribute attribute : Attribute.values()) {
            classes[attribute.ordinal()] = attribute.classOf(scene);
        }
        return classes;
    }

    @Test
    void omittedAttributesCountAsRight() {
        AttributeTally tally = new AttributeTally();
        Scene blueStar = Scene.centred(ShapeKind.STAR, Colour.BLUE, Size.LARGE, Position.TOP, Background.WHITE);
        // Asked for a red star, got a blue star: colour wrong, the omitted rest right.
        tally.add(CaptionParser.parse("a red star"), predict(blueStar));
        // Asked for everything and got it.
        tally.add(SceneSpec.of(blueStar), predict(blueStar));
        assertEquals(1.0, tally.rate(Attribute.SHAPE));
        assertEquals(0.5, tally.rate(Attribute.COLOUR));
        assertEquals(1.0, tally.rate(Attribute.BACKGROUND));
        assertEquals(0.5, tally.allRate());
        assertEquals(2, tally.scores().get("colour").named());
        assertEquals(1, tally.scores().get("background").named());
    }
}
