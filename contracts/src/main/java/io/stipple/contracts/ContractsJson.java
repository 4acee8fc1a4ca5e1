package io.stipple.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON configuration every service uses for messages (and for its REST API), so that a
 * record is written and read the same way everywhere.
 *
 * <ul>
 *   <li>snake_case property names;</li>
 *   <li>instants as ISO-8601 strings;</li>
 *   <li>unknown properties ignored (a newer minor version may add fields);</li>
 *   <li>strict scalars: no "20" for 20, no 2.5 truncated to 2, no null for a primitive, no number
 *       for an enum, so that a wrong type is an error rather than a silent guess.</li>
 * </ul>
 *
 * <p>Quarkus services apply {@link #configure(ObjectMapper)} from an {@code ObjectMapperCustomizer}.
 */
public final class ContractsJson {

    private static final ObjectMapper SHARED = newMapper();

    private ContractsJson() {
    }

    /** A new mapper with the contracts configuration. */
    public static ObjectMapper newMapper() {
        return configure(new ObjectMapper());
    }

    /** Applies the contracts configuration to an existing mapper (e.g. the one a framework owns). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.registerModule(new JavaTimeModule());
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        mapper.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        for (LogicalType scalar : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            mapper.coercionConfigFor(scalar).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return mapper;
    }

    /** A shared, thread-safe mapper for code that has no framework-managed one. */
    public static ObjectMapper mapper() {
        return SHARED;
    }

    /** Serializes a message to UTF-8 JSON bytes. */
    public static byte[] write(Object message) {
        try {
            return SHARED.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + message.getClass().getSimpleName(), e);
        }
    }

    /**
     * Reads a message. A message of a newer major schema version fails with
     * {@link UnsupportedSchemaVersionException} (unwrapped from Jackson's exception); any other
     * unreadable input fails with {@link MalformedMessageException}.
     */
    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return SHARED.readValue(json, type);
        } catch (IOException e) {
            throw translate(e, type);
        }
    }

    /** As {@link #read(byte[], Class)}, for text. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return SHARED.readValue(json, type);
        } catch (IOException e) {
            throw translate(e, type);
        }
    }

    private static RuntimeException translate(IOException e, Class<?> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnsupportedSchemaVersionException unsupported) {
                return unsupported;
            }
        }
        if (e instanceof JsonProcessingException) {
            return new MalformedMessageException("cannot read " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
        return new UncheckedIOException(e);
    }
}
