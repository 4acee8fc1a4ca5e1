package io.stipple.workbench.data;

import io.stipple.engine.data.Background;
import io.stipple.engine.data.Colour;
import io.stipple.engine.data.Fill;
import io.stipple.engine.data.Position;
import io.stipple.engine.data.Scene;
import io.stipple.engine.data.ShapeKind;
import io.stipple.engine.data.Size;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SceneRendererTest {

    @Test
    void sameSeedRendersTheSamePixels() {
        assertArrayEquals(ProceduralShapes.sample(Split.TRAIN, 7).render(16),
                ProceduralShapes.sample(Split.TRAIN, 7).render(16));
    }

    @Test
    void valuesStayInRangeAndCornersAreBackground() {
        Scene scene = Scene.centred(ShapeKind.STAR, Colour.RED, Size.LARGE, Position.CENTER, Background.GRAY);
        float[] image = SceneRenderer.render(scene, 16);
        for (float v : image) {
            assertTrue(v >= -1f && v <= 1f, "value out of range: " + v);
        }
        float gray = Background.GRAY.rgb()[0] * 2 - 1;
        assertEquals(gray, image[0], 1e-6);
        assertEquals(gray, image[image.length - 1], 1e-6);
    }

    @Test
    void centreOfALargeCircleIsTheFillColour() {
        Scene scene = Scene.centred(ShapeKind.CIRCLE, Colour.BLUE, Size.LARGE, Position.CENTER, Background.WHITE);
        float[] image = SceneRenderer.render(scene, 16);
        int at = (8 * 16 + 8) * 3;
        float[] blue = Colour.BLUE.rgb();
        for (int c = 0; c < 3; c++) {
            assertEquals(blue[c] * 2 - 1, image[at + c], 1e-5);
        }
    }

    @Test
    void edgePixelsAreAntiAliased() {
        Scene scene = Scene.centred(ShapeKind.CIRCLE, Colour.RED, Size.LARGE, Position.CENTER, Background.BLACK);
        float[] image = SceneRenderer.render(scene, 16);
        float background = Background.BLACK.rgb()[0] * 2 - 1;
        float fill = Colour.RED.rgb()[0] * 2 - 1;
        int partial = 0;
        for (int i = 0; i < image.length; i += 3) {
            if (image[i] > background + 0.05f && image[i] < fill - 0.05f) {
                partial++;
            }
        }
        assertTrue(partial >= 8, "a circle's edge should have partly covered pixels, found " + partial);
    }

    @Test
    void lowResolutionRenderEqualsTheBoxDownsampledHighResolutionRender() {
        // The same scene at 16 and 64: averaging 4x4 blocks of the 64x64 render gives the 16x16 one,
        // up to supersampling error, because both integrate the same resolution-free picture.
        for (int index = 0; index < 20; index++) {
            Sample sample = ProceduralShapes.sample(Split.TEST, index);
            float[] small = sample.render(16);
            float[] large = sample.render(64);
            double squaredError = 0;
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    for (int c = 0; c < 3; c++) {
                        double sum = 0;
                        for (int dy = 0; dy < 4; dy++) {
                            for (int dx = 0; dx < 4; dx++) {
                                sum += large[((4 * y + dy) * 64 + 4 * x + dx) * 3 + c];
                            }
                        }
                        double diff = sum / 16 - small[(y * 16 + x) * 3 + c];
                        squaredError += diff * diff;
                    }
                }
            }
            double rmse = Math.sqrt(squaredError / (16 * 16 * 3));
            assertTrue(rmse < 0.02, "sample " + index + " differs across resolutions, rmse " + rmse);
        }
    }

    @Test
    void patternedFillDiffersFromSolid() {
        Scene solid = Subject.scene(Split.SUBJECT_INSTANCE.seed(0)).withFill(Fill.SOLID);
        Scene checkered = solid.withFill(Fill.CHECKERED);
        assertTrue(meanAbsoluteDifference(SceneRenderer.render(solid, 64), SceneRenderer.render(checkered, 64)) > 0.01);
    }

    private static double meanAbsoluteDifference(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }
}
