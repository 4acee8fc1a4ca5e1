package io.stipple.engine.text.clip;

import io.stipple.engine.weights.ModelFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's tokenizer, as Hugging Face's tokenizers runs it for Stable Diffusion, read from a
 * diffusers {@code tokenizer/} folder (see {@link ClipTokenizerFiles}). For a prompt:
 * <ol>
 *   <li>special tokens (BOS, EOS, UNK, PAD: SD 2.x's pad token is "!") written in the prompt
 *       become their ids as they are, before anything else (leftmost, longest first);</li>
 *   <li>the text between them is normalised: Unicode NFC, every whitespace run to one space,
 *       lower case (no ftfy, no accent stripping);</li>
 *   <li>split by CLIP's pattern: contractions, letter runs, single digits, runs of anything
 *       else but whitespace; whitespace is dropped;</li>
 *   <li>each piece goes to UTF-8 bytes in the byte-level alphabet and through BPE with
 *       {@code </w>} marking the end of the piece;</li>
 *   <li>BOS first, EOS last, cut so the whole is at most {@code model_max_length} ids (EOS
 *       stays), then padded to it with the pad token.</li>
 * </ol>
 * Thread-safe: it holds no mutable state.
 */
public final class ClipTokenizer {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    /** CLIP's pre-tokenisation pattern (openai/CLIP, transformers' CLIPTokenizer and its tokenizer.json). */
    private static final Pattern PIECES = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private static final String END_OF_WORD = "</w>";

    private final BytePairEncoder encoder;
    private final Map<String, Integer> specialIds;
    private final List<String> specialTokensLongestFirst;
    private final int bosId;
    private final int eosId;
    private final int padId;
    private final int maxLength;

    private ClipTokenizer(BytePairEncoder encoder, Map<String, Integer> specialIds, int bosId, int eosId, int padId, int maxLength) {
        this.encoder = encoder;
        this.specialIds = specialIds;
        this.specialTokensLongestFirst = specialIds.keySet().stream()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        this.bosId = bosId;
        this.eosId = eosId;
        this.padId = padId;
        this.maxLength = maxLength;
    }

    /**
     * Loads a tokenizer folder ({@code vocab.json}, {@code merges.txt}, {@code tokenizer_config.json},
     * optionally {@code special_tokens_map.json}).
     *
     * @throws ModelFormatException naming the file (and line or token) when one is malformed
     * @throws IOException          when a required file is missing or unreadable
     */
    public static ClipTokenizer load(Path folder) throws IOException {
        Map<String, Integer> vocabulary = ClipTokenizerFiles.vocabulary(folder);
        Map<Long, BytePairEncoder.Merge> merges = ClipTokenizerFiles.merges(folder, vocabulary);
        Map<String, String> special = ClipTokenizerFiles.specialTokens(folder);
        Map<String, Integer> specialIds = new HashMap<>();
        special.forEach((role, token) -> {
            Integer id = vocabulary.get(token);
            if (id == null) {
                throw new ModelFormatException(folder.resolve(ClipTokenizerFiles.VOCAB) + ": the " + role + " '" + token
                        + "' is not in the vocabulary");
            }
            specialIds.put(token, id);
        });
        int maxLength = ClipTokenizerFiles.modelMaxLength(folder);
        BytePairEncoder encoder = new BytePairEncoder(vocabulary, merges, END_OF_WORD, specialIds.get(special.get("unk_token")));
        return new ClipTokenizer(encoder, Map.copyOf(specialIds), specialIds.get(special.get("bos_token")),
                specialIds.get(special.get("eos_token")), specialIds.get(special.get("pad_token")), maxLength);
    }

    /** Ids per prompt: {@code model_max_length} (77 for SD), BOS first, EOS after the (cut) text, padding after it. */
    public int maxLength() {
        return maxLength;
    }

    public int padId() {
        return padId;
    }

    /** The prompt's ids, exactly {@link #maxLength()} of them. */
    public int[] encode(String prompt) {
        int[] ids = new int[maxLength];
        Arrays.fill(ids, padId);
        ids[0] = bosId;
        int[] text = textIds(prompt, maxLength - 2);
        System.arraycopy(text, 0, ids, 1, text.length);
        ids[1 + text.length] = eosId;
        return ids;
    }

    /** The ids of each prompt, one row per prompt. */
    public int[][] encode(List<String> prompts) {
        return prompts.stream().map(this::encode).toArray(int[][]::new);
    }

    /** The prompt's ids without BOS, EOS or padding, stopping once {@code limit} ids are found. */
    int[] textIds(String prompt, int limit) {
        List<Integer> ids = new ArrayList<>();
        int plainStart = 0;
        int at = 0;
        while (at < prompt.length() && ids.size() < limit) {
            String special = specialTokenAt(prompt, at);
            if (special == null) {
                at++;
                continue;
            }
            addPlain(prompt.substring(plainStart, at), ids, limit);
            if (ids.size() < limit) {
                ids.add(specialIds.get(special));
            }
            at += special.length();
            plainStart = at;
        }
        addPlain(prompt.substring(plainStart, at), ids, limit);
        return ids.stream().limit(limit).mapToInt(Integer::intValue).toArray();
    }

    private String specialTokenAt(String text, int at) {
        for (String token : specialTokensLongestFirst) {
            if (text.startsWith(token, at)) {
                return token;
            }
        }
        return null;
    }

    /**
     * Lower case character by character, as tokenizers' Lowercase does: unlike
     * {@link String#toLowerCase}, a word-final capital sigma becomes σ, not ς.
     */
    static String lowerCase(String text) {
        StringBuilder lower = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c < 0x80) {
                lower.append((char) Character.toLowerCase(c));
            } else {
                lower.append(Character.toString(c).toLowerCase(Locale.ROOT));
            }
        });
        return lower.toString();
    }

    /** Normalises, splits and encodes text that holds no special token. */
    private void addPlain(String text, List<Integer> ids, int limit) {
        if (text.isEmpty() || ids.size() >= limit) {
            return;
        }
        String normalised = lowerCase(WHITESPACE.matcher(Normalizer.normalize(text, Normalizer.Form.NFC)).replaceAll(" "));
        Matcher pieces = PIECES.matcher(normalised);
        while (pieces.find() && ids.size() < limit) {
            for (int id : encoder.encode(ByteLevelAlphabet.encode(pieces.group()))) {
                ids.add(id);
            }
        }
    }
}
