package io.stipple.gateway.repository;

import java.time.Instant;
import java.util.UUID;

/** Column values of a read-model row, taken from one status snapshot. */
public record JobViewUpdate(UUID jobId, String tenantId, String status, int attempt, long sequence, String progressJson,
        String outputsJson, String producedModel, String errorJson, Instant queuedAt, Instant startedAt,
        Instant completedAt, boolean cancelRequested, Instant updatedAt) {
}
