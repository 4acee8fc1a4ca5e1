package io.stipple.workbench.data;

import io.stipple.engine.data.Attribute;
import io.stipple.engine.data.Label;
import io.stipple.engine.data.Position;
import io.stipple.engine.data.Scene;
import io.stipple.engine.data.SceneSpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes varied captions for a scene: several sentence templates, synonyms ("big", "grey",
 * "middle"), and attributes left out at random. Half of the captions name everything; the other
 * half drop each of colour, size, position and background with probability {@link #OMIT}, and
 * the shape (saying "shape" instead) with probability {@link #OMIT_SHAPE}. The returned spec
 * records exactly what the text names.
 */
public final class CaptionWriter {

    static final double FULL = 0.5;
    static final double OMIT = 0.4;
    static final double OMIT_SHAPE = 0.1;
    static final double ALIAS = 0.2;
    private static final int TEMPLATES = 4;

    private CaptionWriter() {
    }

    /** A caption naming every attribute in the first (canonical) template, no synonyms. */
    public static Caption canonical(Scene scene) {
        SceneSpec spec = SceneSpec.of(scene);
        return new Caption(sentence(0, words(spec, null)), spec);
    }

    /** A random caption for the scene. */
    public static Caption write(Scene scene, SplittableRandom random) {
        Map<Attribute, Label> named = new EnumMap<>(Attribute.class);
        boolean full = random.nextDouble() < FULL;
        for (Attribute attribute : Attribute.values()) {
            double omit = attribute == Attribute.SHAPE ? OMIT_SHAPE : OMIT;
            if (full || random.nextDouble() >= omit) {
                named.put(attribute, attribute.of(scene));
            }
        }
        SceneSpec spec = new SceneSpec(named);
        return new Caption(sentence(random.nextInt(TEMPLATES), words(spec, random)), spec);
    }

    /** The words for each attribute, or null where omitted; synonyms only when random is given. */
    private static Map<Attribute, String> words(SceneSpec spec, SplittableRandom random) {
        Map<Attribute, String> words = new EnumMap<>(Attribute.class);
        for (Attribute attribute : Attribute.values()) {
            spec.get(attribute).ifPresent(label -> {
                String word = label.word();
                if (random != null && !label.aliases().isEmpty() && random.nextDouble() < ALIAS) {
                    word = label.aliases().get(random.nextInt(label.aliases().size()));
                }
                words.put(attribute, word);
            });
        }
        return words;
    }

    /**
     * Template 0: "a small red star in the top left on a gray background";
     * 1: "small red star, top left, gray background"; 2: "a gray background with a small red star
     * in the top left"; 3: "red star, top left" style without articles, background last.
     */
    private static String sentence(int template, Map<Attribute, String> words) {
        String noun = nounPhrase(words);
        String position = words.get(Attribute.POSITION);
        String background = words.get(Attribute.BACKGROUND);
        Position where = position == null ? null : positionOf(words);
        List<String> parts = new ArrayList<>();
        switch (template) {
            case 0 -> {
                parts.add(article(noun) + " " + noun);
                if (where != null) {
                    parts.add(where.phrase(position));
                }
                if (background != null) {
                    parts.add("on a " + background + " background");
                }
                return String.join(" ", parts);
            }
            case 1 -> {
                parts.add(noun);
                if (position != null) {
                    parts.add(position);
                }
                if (background != null) {
                    parts.add(background + " background");
                }
                return String.join(", ", parts);
            }
            case 2 -> {
                if (background != null) {
                    parts.add("a " + background + " background with " + article(noun) + " " + noun);
                } else {
                    parts.add(article(noun) + " " + noun);
                }
                if (where != null) {
                    parts.add(where.phrase(position));
                }
                return String.join(" ", parts);
            }
            default -> {
                parts.add(noun);
                if (where != null) {
                    parts.add(where.phrase(position));
                }
                if (background != null) {
                    parts.add("on " + background);
                }
                return String.join(" ", parts);
            }
        }
    }

    private static Position positionOf(Map<Attribute, String> words) {
        String word = words.get(Attribute.POSITION);
        for (Position position : Position.values()) {
            if (position.word().equals(word) || position.aliases().contains(word)) {
                return position;
            }
        }
        throw new IllegalStateException("unknown position word " + word);
    }

    private static String nounPhrase(Map<Attribute, String> words) {
        List<String> parts = new ArrayList<>();
        if (words.containsKey(Attribute.SIZE)) {
            parts.add(words.get(Attribute.SIZE));
        }
        if (words.containsKey(Attribute.COLOUR)) {
            parts.add(words.get(Attribute.COLOUR));
        }
        parts.add(words.getOrDefault(Attribute.SHAPE, "shape"));
        return String.join(" ", parts);
    }

    private static String article(String noun) {
        return "aeiou".indexOf(noun.charAt(0)) >= 0 ? "an" : "a";
    }
}
