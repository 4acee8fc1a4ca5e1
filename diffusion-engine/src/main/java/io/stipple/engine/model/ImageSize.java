package io.stipple.engine.model;

/** The width and height, in pixels, of the images a request asks a model for. */
public record ImageSize(int width, int height) {

    public ImageSize {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("an image size must be positive, got " + width + "x" + height);
        }
    }

    public static ImageSize square(int side) {
        return new ImageSize(side, side);
    }

    /** Values in one RGB image of this size (NHWC, 3 channels). */
    public int rgbValues() {
        return width * height * 3;
    }

    @Override
    public String toString() {
        return width + "x" + height;
    }
}
