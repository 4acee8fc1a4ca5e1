package io.stipple.engine.data;

/**
 * Fill colours of the shape. Chosen to stay distinguishable from each other and from every
 * {@link Background} at 16x16; RGB components are in [0, 1].
 */
public enum Colour implements Label {
    RED("red", 0.90f, 0.10f, 0.10f),
    ORANGE("orange", 1.00f, 0.55f, 0.00f),
    YELLOW("yellow", 0.98f, 0.90f, 0.10f),
    GREEN("green", 0.10f, 0.75f, 0.15f),
    CYAN("cyan", 0.10f, 0.85f, 0.90f),
    BLUE("blue", 0.12f, 0.25f, 0.95f),
    PURPLE("purple", 0.55f, 0.15f, 0.80f),
    PINK("pink", 1.00f, 0.45f, 0.75f);

    private final String word;
    private final float[] rgb;

    Colour(String word, float r, float g, float b) {
        this.word = word;
        this.rgb = new float[] {r, g, b};
    }

    @Override
    public String word() {
        return word;
    }

    /** A copy of the colour's RGB components in [0, 1]. */
    public float[] rgb() {
        return rgb.clone();
    }
}
