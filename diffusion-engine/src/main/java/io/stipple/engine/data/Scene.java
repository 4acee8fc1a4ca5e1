package io.stipple.engine.data;

import java.util.Objects;

/**
 * One picture of the dataset: its attributes plus the small random offsets that make two scenes
 * with the same caption differ. Offsets are fractions of the image width, so a scene is the same
 * picture at every resolution.
 *
 * @param jitterX horizontal offset of the shape's centre from the grid position, in image widths
 * @param jitterY vertical offset, in image heights
 * @param scale   multiplier on the size's nominal radius
 */
public record Scene(ShapeKind shape, Colour colour, Size size, Position position, Background background,
                    Fill fill, double jitterX, double jitterY, double scale) {

    /** The largest |jitter| the sampler draws: small enough that the grid cell stays unambiguous. */
    public static final double MAX_JITTER = 0.035;
    /** The sampler's scale range is [1 - MAX_SCALE_JITTER, 1 + MAX_SCALE_JITTER]. */
    public static final double MAX_SCALE_JITTER = 0.08;

    public Scene {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(background, "background");
        Objects.requireNonNull(fill, "fill");
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale must be positive: " + scale);
        }
    }

    /** A scene exactly on its grid position at nominal size, solid fill. */
    public static Scene centred(ShapeKind shape, Colour colour, Size size, Position position, Background background) {
        return new Scene(shape, colour, size, position, background, Fill.SOLID, 0, 0, 1);
    }

    /** The shape's centre x as a fraction of the image width. */
    public double centreX() {
        return position.centreX() + jitterX;
    }

    /** The shape's centre y as a fraction of the image height. */
    public double centreY() {
        return position.centreY() + jitterY;
    }

    /** The shape's radius as a fraction of the image width. */
    public double radius() {
        return size.radius() * scale;
    }

    /** The same scene with another fill. */
    public Scene withFill(Fill newFill) {
        return new Scene(shape, colour, size, position, background, newFill, jitterX, jitterY, scale);
    }
}
