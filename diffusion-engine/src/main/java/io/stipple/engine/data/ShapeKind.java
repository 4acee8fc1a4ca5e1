package io.stipple.engine.data;

import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/**
 * The shapes the procedural dataset draws. Each outline is defined in local units: centred on the
 * origin, fitting the unit circle, y pointing down (image convention), so one outline serves every
 * resolution.
 */
public enum ShapeKind implements Label {
    CIRCLE("circle", new Ellipse2D.Double(-1, -1, 2, 2)),
    SQUARE("square", new Rectangle2D.Double(-0.78, -0.78, 1.56, 1.56)),
    TRIANGLE("triangle", polygon(3, 1.0, 1.0, 0.18)),
    STAR("star", star()),
    RING("ring", ring()),
    DIAMOND("diamond", polygon(4, 1.0, 1.0, 0.0)),
    CROSS("cross", cross());

    private final String word;
    private final Shape outline;

    ShapeKind(String word, Shape outline) {
        this.word = word;
        this.outline = outline;
    }

    @Override
    public String word() {
        return word;
    }

    /** Whether the local point (x, y), in units of the shape's radius, lies inside the shape. */
    public boolean contains(double x, double y) {
        return outline.contains(x, y);
    }

    /**
     * A regular polygon (or, with two radii, a star) with its first vertex pointing up. The
     * vertical offset re-centres shapes whose area sits low (a triangle) so they look centred.
     */
    private static Path2D polygon(int points, double outer, double inner, double yOffset) {
        Path2D.Double path = new Path2D.Double();
        int vertices = outer == inner ? points : 2 * points;
        for (int i = 0; i < vertices; i++) {
            double radius = (i % 2 == 0 || outer == inner) ? outer : inner;
            double angle = -Math.PI / 2 + 2 * Math.PI * i / vertices;
            double x = radius * Math.cos(angle);
            double y = radius * Math.sin(angle) + yOffset;
            if (i == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        path.closePath();
        return path;
    }

    private static Shape star() {
        // A fat inner radius keeps the points readable at 16x16, where a thin star blurs to a blob.
        return polygon(5, 1.0, 0.5, 0.06);
    }

    private static Shape ring() {
        Area ring = new Area(new Ellipse2D.Double(-1, -1, 2, 2));
        ring.subtract(new Area(new Ellipse2D.Double(-0.55, -0.55, 1.1, 1.1)));
        return ring;
    }

    private static Shape cross() {
        Area cross = new Area(new Rectangle2D.Double(-0.32, -0.95, 0.64, 1.9));
        cross.add(new Area(new Rectangle2D.Double(-0.95, -0.32, 1.9, 0.64)));
        return cross;
    }
}
