package io.stipple.gateway.repository;

import java.time.Instant;
import java.util.UUID;

/** The values of a job request to insert. */
public record NewJob(UUID id, String tenantId, String kind, String specJson, String idempotencyKey, byte[] requestHash,
        Instant createdAt) {
}
