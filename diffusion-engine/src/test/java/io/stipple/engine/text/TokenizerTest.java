package io.stipple.engine.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerTest {

    private final Vocabulary vocabulary = Vocabulary.fromCaptions(
            List.of("a red star, top left", "A blue circle on a gray background", "sks star"));

    @Test
    void vocabularyStartsWithPaddingUnknownAndReservedIdentifiersThenSortedWords() {
        assertEquals(List.of("<pad>", "<unk>", "sks", "zwx", "qlv", "vbq", "a", "background", "blue", "circle",
                "gray", "left", "on", "red", "star", "top"), vocabulary.words());
    }

    @Test
    void encodesLowerCasedWordsPadsAndCuts() {
        Tokenizer tokenizer = new Tokenizer(vocabulary, 6);
        int a = vocabulary.id("a");
        int red = vocabulary.id("red");
        int star = vocabulary.id("star");
        assertArrayEquals(new int[] {a, red, star, Vocabulary.UNKNOWN_ID, 0, 0}, tokenizer.encode("A RED star; purple"));
        assertArrayEquals(new int[6], tokenizer.encode(""), "the empty prompt is all padding");
        assertArrayEquals(new int[] {a, a, a, a, a, a}, tokenizer.encode("a a a a a a a a"));
        assertEquals(List.of("purple"), tokenizer.unknownWords("a purple star"));
        assertEquals(2, tokenizer.encode("sks star")[0], "reserved identifiers keep their ids");
    }

    @Test
    void batchesAreRowMajor() {
        Tokenizer tokenizer = new Tokenizer(vocabulary, 3);
        int[] ids = tokenizer.encode(List.of("red star", ""));
        assertArrayEquals(new int[] {vocabulary.id("red"), vocabulary.id("star"), 0, 0, 0, 0}, ids);
    }

    @Test
    void roundTripsThroughAFile(@TempDir Path dir) throws Exception {
        vocabulary.write(dir.resolve("vocab.txt"));
        assertEquals(vocabulary.words(), Vocabulary.read(dir.resolve("vocab.txt")).words());
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.of(List.of("a", "<unk>")));
    }
}
