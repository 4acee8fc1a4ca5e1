package io.stipple.engine.sd.nn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stipple.engine.weights.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A diffusers or transformers {@code config.json}, read field by field: a missing or mistyped
 * field fails naming the file and the field; optional fields take the default of the Python
 * class that wrote the file.
 */
public final class ConfigJson {

    // Python's json writes NaN and Infinity.
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private final String origin;
    private final JsonNode root;

    private ConfigJson(String origin, JsonNode root) {
        this.origin = origin;
        this.root = root;
    }

    public static ConfigJson read(Path file) throws IOException {
        try {
            return parse(file.toString(), Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Parses {@code json}; {@code origin} names it in errors. */
    public static ConfigJson parse(String origin, String json) throws JsonProcessingException {
        JsonNode root = JSON.readTree(json);
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(origin + " is not a JSON object");
        }
        return new ConfigJson(origin, root);
    }

    public boolean has(String field) {
        JsonNode node = root.get(field);
        return node != null && !node.isNull();
    }

    /** Every field name, in file order. */
    public List<String> fields() {
        List<String> names = new ArrayList<>();
        root.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Whether the field holds a list. */
    public boolean isList(String field) {
        return has(field) && root.get(field).isArray();
    }

    /**
     * Whether a feature switch is on: anything but absent, null, false, or a list of only such
     * values (diffusers writes per-block flags as lists).
     */
    public boolean switchedOn(String field) {
        return on(root.get(field));
    }

    private static boolean on(JsonNode value) {
        if (value == null || value.isNull() || (value.isBoolean() && !value.booleanValue())) {
            return false;
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (on(element)) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    public int integer(String field) {
        JsonNode node = required(field);
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw wrong(field, "an integer", node);
        }
        return node.intValue();
    }

    public int integer(String field, int fallback) {
        return has(field) ? integer(field) : fallback;
    }

    public double number(String field) {
        JsonNode node = required(field);
        if (!node.isNumber()) {
            throw wrong(field, "a number", node);
        }
        return node.doubleValue();
    }

    public double number(String field, double fallback) {
        return has(field) ? number(field) : fallback;
    }

    public String string(String field) {
        JsonNode node = required(field);
        if (!node.isTextual()) {
            throw wrong(field, "a string", node);
        }
        return node.textValue();
    }

    public String string(String field, String fallback) {
        return has(field) ? string(field) : fallback;
    }

    public boolean bool(String field, boolean fallback) {
        if (!has(field)) {
            return fallback;
        }
        JsonNode node = root.get(field);
        if (!node.isBoolean()) {
            throw wrong(field, "true or false", node);
        }
        return node.booleanValue();
    }

    public List<Integer> integers(String field) {
        List<Integer> values = new ArrayList<>();
        for (JsonNode element : array(field)) {
            if (!element.isIntegralNumber() || !element.canConvertToInt()) {
                throw wrong(field, "a list of integers", root.get(field));
            }
            values.add(element.intValue());
        }
        return List.copyOf(values);
    }

    public List<String> strings(String field) {
        List<String> values = new ArrayList<>();
        for (JsonNode element : array(field)) {
            if (!element.isTextual()) {
                throw wrong(field, "a list of strings", root.get(field));
            }
            values.add(element.textValue());
        }
        return List.copyOf(values);
    }

    /** An error about {@code field} of this file. */
    public ModelFormatException invalid(String field, String problem) {
        return new ModelFormatException(origin + ": \"" + field + "\" " + problem);
    }

    private JsonNode array(String field) {
        JsonNode node = required(field);
        if (!node.isArray()) {
            throw wrong(field, "a list", node);
        }
        return node;
    }

    private JsonNode required(String field) {
        if (!has(field)) {
            throw new ModelFormatException(origin + " has no \"" + field + "\"");
        }
        return root.get(field);
    }

    private ModelFormatException wrong(String field, String expected, JsonNode actual) {
        return invalid(field, "must be " + expected + ", not " + actual);
    }

    @Override
    public String toString() {
        return origin;
    }
}
