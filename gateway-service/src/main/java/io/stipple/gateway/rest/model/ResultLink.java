package io.stipple.gateway.rest.model;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Map;

/**
 * One output of a job.
 *
 * @param url        short-lived presigned GET URL, or null where no object store is configured
 * @param expiresAt  when {@code url} stops working
 */
@Schema(name = "Result")
public record ResultLink(String key, String contentType, long sizeBytes, Map<String, String> metadata, String url,
        Instant expiresAt) {
}
