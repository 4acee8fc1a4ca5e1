package io.stipple.engine.data;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a caption asks for: a value per attribute, or nothing where the caption leaves the
 * attribute out. An omitted attribute is satisfied by any value.
 */
public record SceneSpec(Map<Attribute, Label> values) {

    public SceneSpec {
        EnumMap<Attribute, Label> copy = new EnumMap<>(Attribute.class);
        values.forEach((attribute, label) -> {
            if (!attribute.labels().contains(label)) {
                throw new IllegalArgumentException(label + " is not a value of " + attribute);
            }
            copy.put(attribute, label);
        });
        values = Collections.unmodifiableMap(copy);
    }

    /** A spec naming every attribute of the scene. */
    public static SceneSpec of(Scene scene) {
        EnumMap<Attribute, Label> all = new EnumMap<>(Attribute.class);
        for (Attribute attribute : Attribute.values()) {
            all.put(attribute, attribute.of(scene));
        }
        return new SceneSpec(all);
    }

    /** A spec naming nothing (the empty prompt). */
    public static SceneSpec any() {
        return new SceneSpec(Map.of());
    }

    /** This spec with {@code attribute} set to {@code label} (replacing what it named, if anything). */
    public SceneSpec with(Attribute attribute, Label label) {
        EnumMap<Attribute, Label> changed = new EnumMap<>(Attribute.class);
        changed.putAll(values);
        changed.put(attribute, label);
        return new SceneSpec(changed);
    }

    /** The requested value, or empty if the attribute is omitted. */
    public Optional<Label> get(Attribute attribute) {
        return Optional.ofNullable(values.get(attribute));
    }

    public boolean names(Attribute attribute) {
        return values.containsKey(attribute);
    }

    /** Whether a predicted class index counts as right: omitted attributes accept any class. */
    public boolean accepts(Attribute attribute, int classIndex) {
        Label wanted = values.get(attribute);
        return wanted == null || wanted.ordinal() == classIndex;
    }

    /** Whether the scene satisfies every named attribute. */
    public boolean matches(Scene scene) {
        for (Attribute attribute : Attribute.values()) {
            if (!accepts(attribute, attribute.classOf(scene))) {
                return false;
            }
        }
        return true;
    }
}
