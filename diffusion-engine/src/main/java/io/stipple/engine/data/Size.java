package io.stipple.engine.data;

import java.util.List;

/** Shape sizes, as the shape's radius in units of the image width (resolution independent). */
public enum Size implements Label {
    SMALL("small", 0.14),
    LARGE("large", 0.22);

    private final String word;
    private final double radius;

    Size(String word, double radius) {
        this.word = word;
        this.radius = radius;
    }

    @Override
    public String word() {
        return word;
    }

    /** The nominal radius as a fraction of the image width. */
    public double radius() {
        return radius;
    }

    @Override
    public List<String> aliases() {
        return this == LARGE ? List.of("big") : List.of("little");
    }
}
