package io.stipple.gateway.repository;

import java.time.Instant;
import java.util.UUID;

/** The values of a job request to insert (its spec is the one inside its JobSubmitted message). */
public record NewJob(UUID id, String tenantId, String kind, String idempotencyKey, byte[] requestHash,
        Instant createdAt) {
}
