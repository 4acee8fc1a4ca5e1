package io.stipple.engine.text.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.weights.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed tokenizer folders are refused naming the file and what is wrong in it. */
class ClipTokenizerFilesTest {

    @TempDir
    Path folder;

    @BeforeEach
    void copyTheFixturesTokenizer() throws IOException {
        try (Stream<Path> files = Files.list(ClipTokenizerTest.FIXTURE.resolve("tiny-sd-pipeline/tokenizer"))) {
            for (Path file : files.toList()) {
                Files.copy(file, folder.resolve(file.getFileName()));
            }
        }
    }

    private String refusal() {
        return assertThrows(ModelFormatException.class, () -> ClipTokenizer.load(folder)).getMessage();
    }

    private Path file(String name) {
        return folder.resolve(name);
    }

    private void replaceIn(String name, String from, String to) throws IOException {
        String text = Files.readString(file(name));
        assertTrue(text.contains(from), from + " in " + name);
        Files.writeString(file(name), text.replaceFirst(java.util.regex.Pattern.quote(from), to));
    }

    @Test
    void aVocabularyThatIsNotJsonIsRefused() throws IOException {
        Files.writeString(file("vocab.json"), "{\"a\": 1,");
        assertTrue(refusal().startsWith(file("vocab.json") + ": not valid JSON ("), refusal());
        Files.writeString(file("vocab.json"), "[\"a\", \"b\"]");
        assertEquals(file("vocab.json") + ": not a JSON object", refusal());
    }

    @Test
    void aVocabularyIdThatIsNotAnIntOrIsSharedIsRefused() throws IOException {
        replaceIn("vocab.json", "\"#\": 2", "\"#\": \"2\"");
        assertEquals(file("vocab.json") + ": token '#' has id \"2\", not a non-negative int", refusal());
        replaceIn("vocab.json", "\"#\": \"2\"", "\"#\": 1");
        assertEquals(file("vocab.json") + ": tokens '\"' and '#' share id 1", refusal());
    }

    @Test
    void aMergeLineThatIsNotTwoTokensIsRefused() throws IOException {
        replaceIn("merges.txt", "r e\n", "r e x\n");
        assertEquals(file("merges.txt") + " line 3: 'r e x' is not two tokens separated by one space", refusal());
    }

    @Test
    void aMergeOfTokensOutsideTheVocabularyIsRefused() throws IOException {
        replaceIn("merges.txt", "r e\n", "r \u2603\n");
        assertEquals(file("merges.txt") + " line 3: token '\u2603' is not in vocab.json", refusal());
        replaceIn("merges.txt", "r \u2603\n", "i i\n");
        assertEquals(file("merges.txt") + " line 3: token 'ii' is not in vocab.json", refusal());
    }

    @Test
    void aRepeatedMergeIsRefused() throws IOException {
        replaceIn("merges.txt", "r e\n", "i n\n");
        assertEquals(file("merges.txt") + " line 3: 'i n' repeats line 2", refusal());
    }

    @Test
    void aPadTokenOutsideTheVocabularyIsRefused() throws IOException {
        Files.writeString(file("special_tokens_map.json"), "{\"pad_token\": {\"content\": \"<pad>\", \"lstrip\": false}}");
        assertEquals(file("vocab.json") + ": the pad_token '<pad>' is not in the vocabulary", refusal());
    }

    @Test
    void aModelMaxLengthThatIsNoLimitIsRefused() throws IOException {
        replaceIn("tokenizer_config.json", "\"model_max_length\": 77", "\"model_max_length\": 1e30");
        assertEquals(file("tokenizer_config.json") + ": model_max_length 1.0E30 is not a token count from 2 to 65536"
                + " (BOS and EOS need 2)", refusal());
    }

    @Test
    void aMissingVocabularyIsNamed() throws IOException {
        Files.delete(file("vocab.json"));
        assertEquals(file("vocab.json").toString(),
                assertThrows(NoSuchFileException.class, () -> ClipTokenizer.load(folder)).getFile());
    }

    @Test
    void specialTokensMapWinsOverTheConfigAndAbsentOnesDefaultToClips() throws IOException {
        Files.writeString(file("special_tokens_map.json"), "{\"pad_token\": \"!\"}");
        Files.writeString(file("tokenizer_config.json"), "{\"model_max_length\": 6, \"pad_token\": \"<|endoftext|>\"}");
        ClipTokenizer tokenizer = ClipTokenizer.load(folder);
        assertArrayEquals(new int[] {954, 320, 955, 0, 0, 0}, tokenizer.encode("a"));
        assertEquals(List.of(6), List.of(tokenizer.maxLength()));
    }
}
