package io.stipple.engine.image;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Tiles same-sized images into one picture, row by row, with a padding border between cells. */
public final class ImageGrid {

    private ImageGrid() {
    }

    /**
     * @param columns  cells per row (rows follow from the count)
     * @param padding  pixels between cells and around the edge
     * @param padValue the padding's value in [-1, 1] (1 = white)
     */
    public static RgbImage tile(List<RgbImage> images, int columns, int padding, float padValue) {
        if (images.isEmpty() || columns < 1 || padding < 0) {
            throw new IllegalArgumentException("need images, columns >= 1 and padding >= 0");
        }
        int cellHeight = images.get(0).height();
        int cellWidth = images.get(0).width();
        int rows = (images.size() + columns - 1) / columns;
        int cols = Math.min(columns, images.size());
        int height = rows * cellHeight + (rows + 1) * padding;
        int width = cols * cellWidth + (cols + 1) * padding;
        float[] pixels = new float[height * width * RgbImage.CHANNELS];
        Arrays.fill(pixels, padValue);
        for (int i = 0; i < images.size(); i++) {
            RgbImage image = images.get(i);
            if (image.height() != cellHeight || image.width() != cellWidth) {
                throw new IllegalArgumentException("image " + i + " is " + image.height() + "x" + image.width()
                        + ", expected " + cellHeight + "x" + cellWidth);
            }
            int top = padding + (i / columns) * (cellHeight + padding);
            int left = padding + (i % columns) * (cellWidth + padding);
            for (int y = 0; y < cellHeight; y++) {
                System.arraycopy(image.pixels(), y * cellWidth * RgbImage.CHANNELS, pixels,
                        ((top + y) * width + left) * RgbImage.CHANNELS, cellWidth * RgbImage.CHANNELS);
            }
        }
        return new RgbImage(height, width, pixels);
    }

    /** Splits an NHWC batch of square images into images and tiles them. */
    public static RgbImage tileBatch(float[] nhwc, int count, int size, int columns, int padding, float padValue) {
        return tileBatch(nhwc, count, size, size, columns, padding, padValue);
    }

    /** Splits an NHWC batch of {@code height x width} images into images and tiles them. */
    public static RgbImage tileBatch(float[] nhwc, int count, int height, int width, int columns, int padding,
            float padValue) {
        List<RgbImage> images = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            images.add(RgbImage.fromBatch(nhwc, i, height, width));
        }
        return tile(images, columns, padding, padValue);
    }
}
