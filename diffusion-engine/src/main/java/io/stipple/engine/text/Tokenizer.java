package io.stipple.engine.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns prompts into fixed-length token ids: lower-cased words (runs of letters and digits;
 * punctuation is dropped), looked up in the {@link Vocabulary}, cut at {@code maxLength} and
 * padded with {@link Vocabulary#PAD_ID}. The empty prompt is all padding: the unconditional input.
 */
public final class Tokenizer {

    private final Vocabulary vocabulary;
    private final int maxLength;

    public Tokenizer(Vocabulary vocabulary, int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be positive");
        }
        this.vocabulary = vocabulary;
        this.maxLength = maxLength;
    }

    public static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    public int[] encode(String text) {
        int[] ids = new int[maxLength];
        List<String> words = words(text);
        for (int i = 0; i < Math.min(words.size(), maxLength); i++) {
            ids[i] = vocabulary.id(words.get(i));
        }
        return ids;
    }

    /** Token ids of a batch, row-major [batch, maxLength]. */
    public int[] encode(List<String> texts) {
        int[] ids = new int[texts.size() * maxLength];
        for (int i = 0; i < texts.size(); i++) {
            System.arraycopy(encode(texts.get(i)), 0, ids, i * maxLength, maxLength);
        }
        return ids;
    }

    /** Words of the prompt that the vocabulary does not know (they become {@link Vocabulary#UNKNOWN}). */
    public List<String> unknownWords(String text) {
        return words(text).stream().filter(word -> !vocabulary.contains(word)).toList();
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public int maxLength() {
        return maxLength;
    }
}
