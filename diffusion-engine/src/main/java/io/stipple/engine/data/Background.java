package io.stipple.engine.data;

import java.util.List;

/** Uniform background colours, all far from every {@link Colour}; RGB components in [0, 1]. */
public enum Background implements Label {
    BLACK("black", 0.04f, 0.04f, 0.04f),
    WHITE("white", 0.96f, 0.96f, 0.96f),
    GRAY("gray", 0.50f, 0.50f, 0.50f),
    BROWN("brown", 0.40f, 0.26f, 0.13f);

    private final String word;
    private final float[] rgb;

    Background(String word, float r, float g, float b) {
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

    @Override
    public List<String> aliases() {
        return this == GRAY ? List.of("grey") : List.of();
    }
}
