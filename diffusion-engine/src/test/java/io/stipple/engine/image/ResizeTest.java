package io.stipple.engine.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stipple.engine.image.Resize.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResizeTest {

    /** A one-row image whose channels all hold the given values. */
    private static RgbImage row(float... values) {
        float[] pixels = new float[values.length * 3];
        for (int i = 0; i < values.length; i++) {
            pixels[i * 3] = pixels[i * 3 + 1] = pixels[i * 3 + 2] = values[i];
        }
        return new RgbImage(1, values.length, pixels);
    }

    private static float[] red(RgbImage image) {
        float[] out = new float[image.height() * image.width()];
        for (int i = 0; i < out.length; i++) {
            out[i] = image.pixels()[i * 3];
        }
        return out;
    }

    @Test
    void bilinearDoublingUsesHalfPixelCentres() {
        // Output x maps to source (x + 0.5) / 2 - 0.5: -0.25, 0.25, 0.75, 1.25 -> clamped and interpolated.
        assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f},
                red(Resize.resize(row(0f, 1f), 1, 4, Method.BILINEAR)), 1e-6f);
    }

    @Test
    void bicubicReproducesALinearRampAwayFromTheEdges() {
        float[] ramp = new float[8];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = i / 8f;
        }
        float[] up = red(Resize.resize(row(ramp), 1, 16, Method.BICUBIC));
        for (int x = 4; x < 12; x++) {
            double source = (x + 0.5) / 2 - 0.5;
            assertEquals(source / 8, up[x], 1e-6);
        }
    }

    @Test
    void constantImagesStayConstantUnderEveryMethod() {
        float[] pixels = new float[8 * 8 * 3];
        Arrays.fill(pixels, 0.3f);
        RgbImage flat = new RgbImage(8, 8, pixels);
        for (Method method : Method.values()) {
            int size = method == Method.AREA ? 4 : 13;
            for (float value : Resize.resize(flat, size, size, method).pixels()) {
                assertEquals(0.3f, value, 1e-6f, method.name());
            }
        }
    }

    @Test
    void areaAveragesBlocks() {
        RgbImage image = new RgbImage(2, 2, new float[] {0, 0, 0, 1, 1, 1, 0.5f, 0.5f, 0.5f, -1, -1, -1});
        assertArrayEquals(new float[] {0.125f, 0.125f, 0.125f}, Resize.resize(image, 1, 1, Method.AREA).pixels(), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> Resize.resize(image, 1, 3, Method.AREA));
    }

    @Test
    void areaWeighsFractionalOverlaps() {
        // 3 -> 2: output 0 covers [0, 1.5) = all of pixel 0 and half of pixel 1.
        assertArrayEquals(new float[] {1f / 3, 5f / 3}, red(Resize.resize(row(0f, 1f, 2f), 1, 2, Method.AREA)), 1e-6f);
    }

    @Test
    void toFillCropsTheCentreToTheTargetAspectRatio() {
        // 1 x 6 to 1 x 2: the centred 1 x 2 region, no resize; to 1 x 1: the centred 1 x 1 (as toSquare).
        assertArrayEquals(new float[] {3, 4}, red(Resize.toFill(row(1, 2, 3, 4, 5, 6), 1, 2)), 0f);
        assertArrayEquals(red(Resize.toSquare(row(1, 2, 3, 4, 5, 6), 1)), red(Resize.toFill(row(1, 2, 3, 4, 5, 6), 1, 1)), 0f);
        // 2 x 8 to 1 x 2: crop the centred 2 x 4 (columns 2..5), then area-average 2 x 2 blocks.
        float[] twoRows = new float[2 * 8 * 3];
        for (int i = 0; i < twoRows.length; i++) {
            twoRows[i] = (i / 3) % 8;
        }
        assertArrayEquals(new float[] {2.5f, 4.5f}, red(Resize.toFill(new RgbImage(2, 8, twoRows), 1, 2)), 1e-6f);
    }

    @Test
    void gridPlacesCellsWithPadding() {
        RgbImage a = new RgbImage(1, 1, new float[] {-1, -1, -1});
        RgbImage grid = ImageGrid.tile(List.of(a, a, a), 2, 1, 1f);
        assertEquals(5, grid.height());
        assertEquals(5, grid.width());
        assertEquals(-1f, grid.get(1, 1, 0));
        assertEquals(-1f, grid.get(1, 3, 0));
        assertEquals(-1f, grid.get(3, 1, 0));
        assertEquals(1f, grid.get(3, 3, 0));
        assertEquals(1f, grid.get(0, 0, 0));
    }
}
