package io.stipple.engine.text.clip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stipple.engine.weights.ModelFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and checks the files of a diffusers/transformers {@code tokenizer/} folder for CLIP:
 * {@code vocab.json} (token -> id), {@code merges.txt} (one merge per line, in rank order, after
 * an optional {@code #version} line), {@code tokenizer_config.json} ({@code model_max_length} and
 * special tokens) and the optional {@code special_tokens_map.json}, whose special tokens win as
 * they do in transformers.
 */
final class ClipTokenizerFiles {

    static final String VOCAB = "vocab.json";
    static final String MERGES = "merges.txt";
    static final String CONFIG = "tokenizer_config.json";
    static final String SPECIAL_TOKENS = "special_tokens_map.json";

    /** CLIPTokenizer's defaults for special tokens a folder does not name. */
    private static final Map<String, String> DEFAULT_SPECIAL_TOKENS = Map.of(
            "bos_token", "<|startoftext|>",
            "eos_token", "<|endoftext|>",
            "unk_token", "<|endoftext|>",
            "pad_token", "<|endoftext|>");

    /** Far above any text encoder's positions; a larger value means the folder sets no real limit. */
    private static final int MAX_MODEL_LENGTH = 1 << 16;

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    private ClipTokenizerFiles() {
    }

    /** token -> id; ids are distinct non-negative ints. */
    static Map<String, Integer> vocabulary(Path folder) throws IOException {
        Path file = folder.resolve(VOCAB);
        JsonNode root = json(file, true);
        if (!root.isObject() || root.isEmpty()) {
            throw new ModelFormatException(file + ": not a non-empty JSON object of token -> id");
        }
        Map<String, Integer> vocabulary = new HashMap<>();
        Map<Integer, String> tokenOfId = new HashMap<>();
        for (var entry : (Iterable<Map.Entry<String, JsonNode>>) root::fields) {
            JsonNode id = entry.getValue();
            if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) {
                throw new ModelFormatException(file + ": token '" + entry.getKey() + "' has id " + id
                        + ", not a non-negative int");
            }
            String other = tokenOfId.putIfAbsent(id.intValue(), entry.getKey());
            if (other != null) {
                throw new ModelFormatException(file + ": tokens '" + other + "' and '" + entry.getKey()
                        + "' share id " + id.intValue());
            }
            vocabulary.put(entry.getKey(), id.intValue());
        }
        return vocabulary;
    }

    /** (left id, right id) -> rank and merged id, for each line of merges.txt. */
    static Map<Long, BytePairEncoder.Merge> merges(Path folder, Map<String, Integer> vocabulary) throws IOException {
        Path file = folder.resolve(MERGES);
        List<String> lines = lines(file);
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines = lines.subList(0, lines.size() - 1);
        }
        Map<Long, BytePairEncoder.Merge> merges = new HashMap<>();
        Map<Long, Integer> lineOfPair = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int lineNumber = i + 1;
            if (i == 0 && line.startsWith("#version")) {
                continue;
            }
            String[] parts = line.split(" ", -1);
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new ModelFormatException(file + " line " + lineNumber + ": '" + line
                        + "' is not two tokens separated by one space");
            }
            int left = id(file, lineNumber, parts[0], vocabulary);
            int right = id(file, lineNumber, parts[1], vocabulary);
            int merged = id(file, lineNumber, parts[0] + parts[1], vocabulary);
            long pair = BytePairEncoder.pair(left, right);
            Integer earlier = lineOfPair.putIfAbsent(pair, lineNumber);
            if (earlier != null) {
                throw new ModelFormatException(file + " line " + lineNumber + ": '" + line + "' repeats line " + earlier);
            }
            merges.put(pair, new BytePairEncoder.Merge(merges.size(), merged));
        }
        return merges;
    }

    /** bos_token, eos_token, unk_token and pad_token, from the config files or CLIPTokenizer's defaults. */
    static Map<String, String> specialTokens(Path folder) throws IOException {
        Map<String, String> tokens = new HashMap<>(DEFAULT_SPECIAL_TOKENS);
        for (Path file : List.of(folder.resolve(CONFIG), folder.resolve(SPECIAL_TOKENS))) {
            JsonNode root = json(file, file.endsWith(CONFIG));
            if (root == null) {
                continue;
            }
            for (String key : DEFAULT_SPECIAL_TOKENS.keySet()) {
                JsonNode value = root.get(key);
                if (value == null || value.isNull()) {
                    continue;
                }
                // Written as a plain string or as a serialised AddedToken {"content": ...}.
                JsonNode content = value.isObject() ? value.get("content") : value;
                if (content == null || !content.isTextual() || content.textValue().isEmpty()) {
                    throw new ModelFormatException(file + ": " + key + " is neither a token nor {\"content\": token}: " + value);
                }
                tokens.put(key, content.textValue());
            }
        }
        return tokens;
    }

    /** tokenizer_config.json's model_max_length: the token count every prompt is cut or padded to. */
    static int modelMaxLength(Path folder) throws IOException {
        Path file = folder.resolve(CONFIG);
        JsonNode value = json(file, true).get("model_max_length");
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()
                || value.intValue() < 2 || value.intValue() > MAX_MODEL_LENGTH) {
            throw new ModelFormatException(file + ": model_max_length " + value + " is not a token count from 2 to "
                    + MAX_MODEL_LENGTH + " (BOS and EOS need 2)");
        }
        return value.intValue();
    }

    private static int id(Path file, int lineNumber, String token, Map<String, Integer> vocabulary) {
        Integer id = vocabulary.get(token);
        if (id == null) {
            throw new ModelFormatException(file + " line " + lineNumber + ": token '" + token + "' is not in " + VOCAB);
        }
        return id;
    }

    /** The file's JSON object; null when an optional file is absent. */
    private static JsonNode json(Path file, boolean required) throws IOException {
        if (!Files.exists(file)) {
            if (required) {
                throw new NoSuchFileException(file.toString(), null, "a CLIP tokenizer folder needs it");
            }
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file + ": not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(file + ": not a JSON object");
        }
        return root;
    }

    private static List<String> lines(Path file) throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new ModelFormatException(file + ": not UTF-8 text", e);
        }
    }
}
