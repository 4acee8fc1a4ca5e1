package io.stipple.engine.data;

/**
 * How a shape is painted. The base dataset only ever uses {@link #SOLID}; the patterned fills exist
 * so that a DreamBooth subject (see {@link Subject}) is something the base model has never seen.
 * Patterns are laid out in the shape's local units, so they move and scale with the shape and look
 * the same at every resolution.
 */
public enum Fill {
    SOLID,
    /** Diagonal stripes of the colour and its dark shade, period 0.5 radius. */
    STRIPED,
    /** A checkerboard of the colour and its dark shade, squares of 0.5 radius. */
    CHECKERED;

    private static final double PATTERN_PERIOD = 0.5;
    /** The second colour of a pattern: the fill colour scaled towards black. */
    private static final float SHADE = 0.3f;

    /** The brightness factor (1 or {@link #SHADE}) at local point (x, y) of the shape. */
    public float shadeAt(double x, double y) {
        return switch (this) {
            case SOLID -> 1f;
            case STRIPED -> Math.floorMod((long) Math.floor((x + y) / PATTERN_PERIOD), 2) == 0 ? 1f : SHADE;
            case CHECKERED -> Math.floorMod(
                    (long) Math.floor(x / PATTERN_PERIOD) + (long) Math.floor(y / PATTERN_PERIOD), 2) == 0
                    ? 1f : SHADE;
        };
    }
}
