package io.stipple.workbench.data;

import io.stipple.engine.data.Attribute;
import io.stipple.engine.data.Background;
import io.stipple.engine.data.CaptionParser;
import io.stipple.engine.data.Colour;
import io.stipple.engine.data.Fill;
import io.stipple.engine.data.Position;
import io.stipple.engine.data.Scene;
import io.stipple.engine.data.SceneSpec;
import io.stipple.engine.data.ShapeKind;
import io.stipple.engine.data.Size;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CaptionTest {

    @Test
    void canonicalCaptionReadsNaturally() {
        Scene scene = Scene.centred(ShapeKind.STAR, Colour.RED, Size.SMALL, Position.TOP_LEFT, Background.GRAY);
        assertEquals("a small red star in the top left on a gray background", CaptionWriter.canonical(scene).text());
    }

    @Test
    void parsingACaptionRecoversExactlyTheAttributesItNames() {
        for (long seed = 0; seed < 2000; seed++) {
            Sample sample = ProceduralShapes.sample(seed);
            Caption caption = sample.caption();
            assertEquals(caption.spec(), CaptionParser.parse(caption.text()), caption.text());
            assertTrue(caption.spec().matches(sample.scene()), caption.text());
        }
    }

    @Test
    void captionsVaryAndSometimesOmitAttributes() {
        Scene scene = Scene.centred(ShapeKind.RING, Colour.GREEN, Size.LARGE, Position.BOTTOM, Background.BROWN);
        SplittableRandom random = new SplittableRandom(1);
        Set<String> texts = new HashSet<>();
        int[] omitted = new int[Attribute.values().length];
        for (int i = 0; i < 500; i++) {
            Caption caption = CaptionWriter.write(scene, random);
            texts.add(caption.text());
            for (Attribute attribute : Attribute.values()) {
                if (!caption.spec().names(attribute)) {
                    omitted[attribute.ordinal()]++;
                }
            }
        }
        assertTrue(texts.size() > 30, "only " + texts.size() + " distinct captions");
        for (Attribute attribute : Attribute.values()) {
            assertTrue(omitted[attribute.ordinal()] > 0, attribute + " is never omitted");
            assertTrue(omitted[attribute.ordinal()] < 250, attribute + " is omitted too often");
        }
    }

    @Test
    void omittedAttributesAcceptAnyValue() {
        SceneSpec redStar = CaptionParser.parse("red star, top left");
        Scene scene = Scene.centred(ShapeKind.STAR, Colour.RED, Size.LARGE, Position.TOP_LEFT, Background.WHITE);
        assertTrue(redStar.matches(scene));
        assertTrue(redStar.accepts(Attribute.BACKGROUND, Background.BLACK.ordinal()));
        assertFalse(redStar.accepts(Attribute.COLOUR, Colour.BLUE.ordinal()));
        assertTrue(CaptionParser.parse("a star").matches(scene.withFill(Fill.SOLID)));
        assertEquals(Position.TOP, CaptionParser.parse("a big blue circle at the top").get(Attribute.POSITION).orElseThrow());
        assertEquals(SceneSpec.any(), CaptionParser.parse(""));
    }

    @Test
    void splitsAreDisjoint() {
        for (Split a : Split.values()) {
            for (Split b : Split.values()) {
                if (a != b) {
                    assertFalse(b.contains(a.seed(0)));
                    assertFalse(b.contains(a.seed(Split.SIZE - 1)));
                }
            }
        }
    }

    @Test
    void batchIsNhwcOfTheIndividualRenders() {
        Batch batch = ProceduralShapes.batch(Split.VALIDATION, 10, 3, 8);
        assertEquals(3 * 8 * 8 * 3, batch.images().length);
        float[] second = ProceduralShapes.sample(Split.VALIDATION, 11).render(8);
        for (int i = 0; i < second.length; i++) {
            assertEquals(second[i], batch.images()[8 * 8 * 3 + i]);
        }
        assertEquals(ProceduralShapes.sample(Split.VALIDATION, 12).caption().text(), batch.captions().get(2));
    }
}
