package io.stipple.contracts.event;

import io.stipple.contracts.Envelope;

import java.util.Map;

/**
 * One object a job wrote to the object store.
 *
 * @param key          the object key, e.g. {@code results/{tenant}/{job}/0.png}
 * @param contentType  its media type
 * @param sizeBytes    its size
 * @param metadata     what describes it, e.g. {@code index}, {@code seed}, {@code width}, {@code height}
 */
public record JobOutput(String key, String contentType, long sizeBytes, Map<String, String> metadata) {

    public JobOutput {
        Envelope.require(key, "output", "key");
        Envelope.require(contentType, "output", "content_type");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
