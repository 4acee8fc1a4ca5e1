package io.stipple.engine.data;

import java.util.List;
import java.util.function.Function;

/**
 * The five attributes a caption can name and a classifier predicts. Each has a fixed list of
 * values whose order is the class index.
 */
public enum Attribute {
    SHAPE("shape", List.of(ShapeKind.values()), Scene::shape),
    COLOUR("colour", List.of(Colour.values()), Scene::colour),
    SIZE("size", List.of(Size.values()), Scene::size),
    POSITION("position", List.of(Position.values()), Scene::position),
    BACKGROUND("background", List.of(Background.values()), Scene::background);

    private final String key;
    private final List<Label> labels;
    private final Function<Scene, Label> getter;

    Attribute(String key, List<Label> labels, Function<Scene, Label> getter) {
        this.key = key;
        this.labels = labels;
        this.getter = getter;
    }

    /** The lower-case name used in JSON reports and file names. */
    public String key() {
        return key;
    }

    /** All values, in class-index order. */
    public List<Label> labels() {
        return labels;
    }

    /** The number of classes (values). */
    public int classes() {
        return labels.size();
    }

    /** The scene's value of this attribute. */
    public Label of(Scene scene) {
        return getter.apply(scene);
    }

    /** The scene's class index for this attribute. */
    public int classOf(Scene scene) {
        return of(scene).ordinal();
    }
}
