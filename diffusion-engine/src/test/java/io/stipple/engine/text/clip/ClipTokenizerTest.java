package io.stipple.engine.text.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.engine.weights.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Token ids identical to transformers' CLIPTokenizer on the fixture's prompts, with SD 1.x and SD 2.x padding. */
class ClipTokenizerTest {

    static final Path FIXTURE = Path.of("..", "test-fixtures", "sd-tiny");

    @Test
    void sd1TokenizerGivesTheFixturesIdsPaddedWithEndOfText() throws IOException {
        assertMatchesFixture("tiny-sd-pipeline", "tokenizer.input_ids");
    }

    @Test
    void sd2TokenizerGivesTheFixturesIdsPaddedWithExclamationMarks() throws IOException {
        assertMatchesFixture("tiny-sd2-pipeline", "sd2.tokenizer.input_ids");
    }

    /**
     * 29 prompts that probe the rules (accents composed and decomposed, CJK, emoji, digits,
     * contractions, control and zero-width characters, special tokens inside text, words of 500
     * letters, truncation) and 40 random ones, with the ids Hugging Face tokenizers gives for the
     * fixture's tokenizer.json (how they were made is in the file).
     */
    @Test
    void givesTokenizersIdsForPromptsThatProbeEveryRule() throws IOException {
        ClipTokenizer sd1 = ClipTokenizer.load(FIXTURE.resolve("tiny-sd-pipeline/tokenizer"));
        ClipTokenizer sd2 = ClipTokenizer.load(FIXTURE.resolve("tiny-sd2-pipeline/tokenizer"));
        JsonNode cases;
        try (var in = ClipTokenizerTest.class.getResourceAsStream("/clip/clip-tokenizer-cases.json")) {
            cases = new ObjectMapper().readTree(in).get("cases");
        }
        assertEquals(69, cases.size());
        for (JsonNode c : cases) {
            String prompt = c.get("prompt").textValue();
            assertArrayEquals(padded(c.get("sd1"), sd1.padId()), sd1.encode(prompt), "SD 1.x: " + prompt);
            assertArrayEquals(padded(c.get("sd2"), sd2.padId()), sd2.encode(prompt), "SD 2.x: " + prompt);
        }
    }

    private static int[] padded(JsonNode ids, int padId) {
        int[] row = new int[77];
        Arrays.fill(row, padId);
        for (int i = 0; i < ids.size(); i++) {
            row[i] = ids.get(i).intValue();
        }
        return row;
    }

    @Test
    void specialTokensWrittenInThePromptKeepTheirIds() throws IOException {
        ClipTokenizer sd1 = ClipTokenizer.load(FIXTURE.resolve("tiny-sd-pipeline/tokenizer"));
        ClipTokenizer sd2 = ClipTokenizer.load(FIXTURE.resolve("tiny-sd2-pipeline/tokenizer"));
        // "!" is SD 2.x's pad token, so there it is a special token even inside "!!"; SD 1.x merges the second into "!</w>".
        assertArrayEquals(new int[] {954, 0, 256, 955}, Arrays.copyOf(sd1.encode("!!"), 4));
        assertArrayEquals(new int[] {954, 0, 0, 955}, Arrays.copyOf(sd2.encode("!!"), 4));
        assertArrayEquals(new int[] {954, 320, 955, 320, 955, 955}, Arrays.copyOf(sd1.encode("A<|endoftext|>a"), 6));
        assertEquals(0, sd2.padId());
        assertEquals(955, sd1.padId());
    }

    @Test
    void decomposedAccentsAreComposedFirst() throws IOException {
        ClipTokenizer sd1 = ClipTokenizer.load(FIXTURE.resolve("tiny-sd-pipeline/tokenizer"));
        assertArrayEquals(sd1.encode("caf\u00e9 d\u00e9j\u00e0 vu"), sd1.encode("cafe\u0301 de\u0301ja\u0300 vu"));
        assertArrayEquals(sd1.encode("a red circle"), sd1.encode("  A \t RED\u00a0\n circle "));
    }

    @Test
    void lowerCasesCharacterByCharacterAsTokenizersDoes() {
        // tokenizers maps each character alone: a word-final capital sigma becomes σ (Java's String.toLowerCase gives ς).
        assertEquals("σίσυφοσ i\u0307stanbul straße", ClipTokenizer.lowerCase("ΣΊΣΥΦΟΣ İstanbul STRAßE"));
    }

    @Test
    void aPromptTooLongIsCutWithEndOfTextLast() throws IOException {
        ClipTokenizer sd1 = ClipTokenizer.load(FIXTURE.resolve("tiny-sd-pipeline/tokenizer"));
        int[] ids = sd1.encode("1 ".repeat(200));
        assertEquals(77, ids.length);
        assertEquals(954, ids[0]);
        assertEquals(955, ids[76]);
        assertEquals(75, Arrays.stream(ids, 1, 76).filter(id -> id == ids[1]).count());
    }

    private static void assertMatchesFixture(String pipeline, String tensor) throws IOException {
        ClipTokenizer tokenizer = ClipTokenizer.load(FIXTURE.resolve(pipeline).resolve("tokenizer"));
        List<String> prompts = new ArrayList<>();
        new ObjectMapper().readTree(FIXTURE.resolve("fixture.json").toFile()).get("prompts")
                .forEach(prompt -> prompts.add(prompt.textValue()));
        assertEquals(5, prompts.size());
        int[] expected;
        try (SafetensorsFile fixture = SafetensorsFile.open(FIXTURE.resolve("fixture.safetensors"))) {
            expected = fixture.ints(tensor);
        }
        assertEquals(77, tokenizer.maxLength());
        for (int p = 0; p < prompts.size(); p++) {
            assertArrayEquals(Arrays.copyOfRange(expected, 77 * p, 77 * (p + 1)), tokenizer.encode(prompts.get(p)),
                    "prompt " + p + ": " + prompts.get(p));
        }
    }
}
