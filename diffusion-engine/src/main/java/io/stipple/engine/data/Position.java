package io.stipple.engine.data;

import java.util.List;

/**
 * The nine cells of a 3x3 grid. Centres sit at 0.22 / 0.5 / 0.78 of the image rather than at the
 * cell centres (1/6, 5/6) so that a large shape in a corner still fits inside the image.
 */
public enum Position implements Label {
    TOP_LEFT("top left", 0, 0),
    TOP("top", 1, 0),
    TOP_RIGHT("top right", 2, 0),
    LEFT("left", 0, 1),
    CENTER("center", 1, 1),
    RIGHT("right", 2, 1),
    BOTTOM_LEFT("bottom left", 0, 2),
    BOTTOM("bottom", 1, 2),
    BOTTOM_RIGHT("bottom right", 2, 2);

    private static final double[] CENTRES = {0.22, 0.5, 0.78};

    private final String word;
    private final int column;
    private final int row;

    Position(String word, int column, int row) {
        this.word = word;
        this.column = column;
        this.row = row;
    }

    @Override
    public String word() {
        return word;
    }

    /** Horizontal centre as a fraction of the image width. */
    public double centreX() {
        return CENTRES[column];
    }

    /** Vertical centre as a fraction of the image height. */
    public double centreY() {
        return CENTRES[row];
    }

    @Override
    public List<String> aliases() {
        return this == CENTER ? List.of("middle") : List.of();
    }

    /** The prepositional phrase a sentence uses: "in the top left", "at the top", "on the left". */
    public String phrase(String word) {
        return switch (this) {
            case TOP, BOTTOM -> "at the " + word;
            case LEFT, RIGHT -> "on the " + word;
            default -> "in the " + word;
        };
    }
}
