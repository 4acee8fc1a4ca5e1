package io.stipple.engine.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How an image was generated, embedded in its PNG so that it can be reproduced.
 *
 * <p>Format: a tEXt chunk with keyword {@value #KEYWORD} whose value is this record as one JSON
 * object (field names as below, non-ASCII escaped as \\uXXXX so the chunk stays Latin-1), plus a
 * tEXt chunk {@code Software} = {@value #SOFTWARE}. Unknown JSON fields are ignored on reading, so
 * the format can grow; {@code extra} holds free-form string settings (e.g. cascade stages).
 *
 * @param model          model name and version, e.g. "base-16@1"
 * @param sampler        sampler name, e.g. "dpm-solver++"
 * @param guidanceScale  classifier-free guidance scale (1 = off)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GenerationParameters(String prompt, String negativePrompt, long seed, int index, String model,
                                   String sampler, int steps, double guidanceScale, int width, int height,
                                   Map<String, String> extra) {

    public static final String KEYWORD = "stipple.parameters";
    public static final String SOFTWARE = "Stipple";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public GenerationParameters {
        // Sorted, so that the JSON (and the PNG bytes) of equal parameters are equal in every JVM.
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(extra));
    }

    /** The tEXt chunks to pass to {@link PngCodec#encode}. */
    public Map<String, String> toPngText() {
        Map<String, String> text = new LinkedHashMap<>();
        text.put("Software", SOFTWARE);
        try {
            text.put(KEYWORD, JSON.writeValueAsString(this));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise generation parameters", e);
        }
        return text;
    }

    /** The parameters in a PNG's tEXt chunks, if it has them; throws if present but malformed. */
    public static Optional<GenerationParameters> fromPngText(Map<String, String> text) {
        String json = text.get(KEYWORD);
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(json, GenerationParameters.class));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed " + KEYWORD + " chunk: " + e.getOriginalMessage(), e);
        }
    }
}
