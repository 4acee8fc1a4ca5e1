package io.stipple.contracts.request;

import io.stipple.contracts.Envelope;
import io.stipple.contracts.SchemaVersion;

import java.time.Instant;
import java.util.UUID;

/**
 * The client asked to cancel the job. The scheduler cancels a queued job at once and sends a
 * control message to the worker of a running one; a finished job stays as it is.
 * Attempt 0; {@code sequence} counts the gateway's requests for the job (the submission is 0).
 */
public record CancelRequested(
        SchemaVersion schemaVersion,
        UUID jobId,
        String tenantId,
        int attempt,
        long sequence,
        Instant timestamp,
        String reason) implements JobRequest {

    public CancelRequested {
        Envelope.check("CancelRequested", schemaVersion, jobId, tenantId, attempt, sequence, timestamp);
    }

    public static CancelRequested of(UUID jobId, String tenantId, long sequence, Instant requestedAt, String reason) {
        return new CancelRequested(SchemaVersion.CURRENT, jobId, tenantId, 0, sequence, requestedAt, reason);
    }
}
