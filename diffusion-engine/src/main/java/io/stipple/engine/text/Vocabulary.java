package io.stipple.engine.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The words a text encoder knows, by token id. Id 0 is padding (and the whole of an empty,
 * unconditional prompt), id 1 stands for any unknown word, then a few reserved rare identifiers
 * that never occur in training captions (DreamBooth binds a new subject to one of them), then the
 * caption words in sorted order, so the same captions always give the same ids.
 */
public final class Vocabulary {

    public static final String PAD = "<pad>";
    public static final String UNKNOWN = "<unk>";
    public static final int PAD_ID = 0;
    public static final int UNKNOWN_ID = 1;
    /** Rare identifier tokens kept untrained in the base model, for fine-tuning a new subject. */
    public static final List<String> RESERVED_IDENTIFIERS = List.of("sks", "zwx", "qlv", "vbq");

    private final List<String> words;
    private final Map<String, Integer> ids = new HashMap<>();

    private Vocabulary(List<String> words) {
        this.words = List.copyOf(words);
        for (int i = 0; i < this.words.size(); i++) {
            if (ids.put(this.words.get(i), i) != null) {
                throw new IllegalArgumentException("duplicate word in vocabulary: " + this.words.get(i));
            }
        }
        if (!PAD.equals(this.words.get(PAD_ID)) || !UNKNOWN.equals(this.words.get(UNKNOWN_ID))) {
            throw new IllegalArgumentException("a vocabulary starts with " + PAD + " and " + UNKNOWN);
        }
    }

    /** The vocabulary of the given captions' words (as {@link Tokenizer#words} splits them). */
    public static Vocabulary fromCaptions(Iterable<String> captions) {
        TreeSet<String> seen = new TreeSet<>();
        for (String caption : captions) {
            seen.addAll(Tokenizer.words(caption));
        }
        seen.removeAll(RESERVED_IDENTIFIERS);
        List<String> words = new ArrayList<>(List.of(PAD, UNKNOWN));
        words.addAll(RESERVED_IDENTIFIERS);
        words.addAll(seen);
        return new Vocabulary(words);
    }

    public static Vocabulary of(List<String> words) {
        return new Vocabulary(words);
    }

    /** Reads a vocabulary file: one word per line, line number = id. */
    public static Vocabulary read(Path file) throws IOException {
        return new Vocabulary(Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isEmpty()).toList());
    }

    public void write(Path file) throws IOException {
        Files.write(file, words, StandardCharsets.UTF_8);
    }

    public int id(String word) {
        return ids.getOrDefault(word, UNKNOWN_ID);
    }

    public boolean contains(String word) {
        return ids.containsKey(word);
    }

    public String word(int id) {
        return words.get(id);
    }

    public int size() {
        return words.size();
    }

    public List<String> words() {
        return words;
    }
}
