package io.stipple.engine.data;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@link SceneSpec} back out of free text by keyword: every attribute's words (and
 * aliases) are distinct across attributes, so a word alone says which attribute it names. The two
 * word corners ("top left") are matched before the single edges ("top"). The first mention of an
 * attribute wins; unknown words are ignored. Used to score prompts that did not come from the
 * dataset, e.g. a user's `generate` prompt.
 */
public final class CaptionParser {

    private static final Map<String, Map.Entry<Attribute, Label>> WORDS = new HashMap<>();

    static {
        for (Attribute attribute : Attribute.values()) {
            for (Label label : attribute.labels()) {
                WORDS.put(label.word(), Map.entry(attribute, label));
                label.aliases().forEach(alias -> WORDS.put(alias, Map.entry(attribute, label)));
            }
        }
    }

    private CaptionParser() {
    }

    /** The attribute and value a single label word (or alias, e.g. "star", "red", "top left") names. */
    public static Optional<Map.Entry<Attribute, Label>> label(String word) {
        return Optional.ofNullable(WORDS.get(word.toLowerCase(Locale.ROOT)));
    }

    public static SceneSpec parse(String text) {
        String[] tokens = text.toLowerCase(Locale.ROOT).split("[^a-z]+");
        Map<Attribute, Label> found = new EnumMap<>(Attribute.class);
        for (int i = 0; i < tokens.length; i++) {
            Map.Entry<Attribute, Label> match = null;
            if (i + 1 < tokens.length) {
                match = WORDS.get(tokens[i] + " " + tokens[i + 1]);
            }
            if (match != null) {
                i++;
            } else {
                match = WORDS.get(tokens[i]);
            }
            if (match != null) {
                found.putIfAbsent(match.getKey(), match.getValue());
            }
        }
        return new SceneSpec(found);
    }
}
