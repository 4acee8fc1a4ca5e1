package io.stipple.engine.image;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * An RGB image as the engine holds it: float values in [-1, 1], HWC order (row-major pixels, three
 * channels interleaved), the layout of one element of a batch-major NHWC tensor.
 */
public record RgbImage(int height, int width, float[] pixels) {

    public static final int CHANNELS = 3;

    public RgbImage {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("image must be at least 1x1, got " + height + "x" + width);
        }
        if (pixels.length != height * width * CHANNELS) {
            throw new IllegalArgumentException(
                    "expected " + height * width * CHANNELS + " floats for " + height + "x" + width + ", got " + pixels.length);
        }
    }

    /** A square image over an HWC buffer (not copied). */
    public static RgbImage square(int size, float[] hwc) {
        return new RgbImage(size, size, hwc);
    }

    /** Image {@code index} of a batch-major NHWC buffer (copied). */
    public static RgbImage fromBatch(float[] nhwc, int index, int height, int width) {
        int stride = height * width * CHANNELS;
        float[] pixels = new float[stride];
        System.arraycopy(nhwc, index * stride, pixels, 0, stride);
        return new RgbImage(height, width, pixels);
    }

    /** Concatenates same-sized images into one NHWC buffer. */
    public static float[] toBatch(List<RgbImage> images) {
        if (images.isEmpty()) {
            return new float[0];
        }
        RgbImage first = images.get(0);
        int stride = first.pixels.length;
        float[] nhwc = new float[images.size() * stride];
        for (int i = 0; i < images.size(); i++) {
            RgbImage image = images.get(i);
            if (image.height != first.height || image.width != first.width) {
                throw new IllegalArgumentException("image " + i + " is " + image.height + "x" + image.width
                        + ", expected " + first.height + "x" + first.width);
            }
            System.arraycopy(image.pixels, 0, nhwc, i * stride, stride);
        }
        return nhwc;
    }

    /** The value at row y, column x, channel c. */
    public float get(int y, int x, int c) {
        return pixels[(y * width + x) * CHANNELS + c];
    }

    /** Converts to an 8-bit sRGB {@link BufferedImage} (values clamped, rounded). */
    public BufferedImage toBufferedImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[width * height];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = Pixels.toByte(pixels[i * 3]) << 16 | Pixels.toByte(pixels[i * 3 + 1]) << 8
                    | Pixels.toByte(pixels[i * 3 + 2]);
        }
        image.setRGB(0, 0, width, height, rgb, 0, width);
        return image;
    }

    /** Reads any {@link BufferedImage} (alpha is dropped, grayscale expanded to RGB). */
    public static RgbImage fromBufferedImage(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] rgb = image.getRGB(0, 0, width, height, null, 0, width);
        float[] pixels = new float[width * height * CHANNELS];
        for (int i = 0; i < rgb.length; i++) {
            pixels[i * 3] = Pixels.toFloat(rgb[i] >> 16 & 0xff);
            pixels[i * 3 + 1] = Pixels.toFloat(rgb[i] >> 8 & 0xff);
            pixels[i * 3 + 2] = Pixels.toFloat(rgb[i] & 0xff);
        }
        return new RgbImage(height, width, pixels);
    }
}
