package io.stipple.contracts.event;

import io.stipple.contracts.Envelope;
import io.stipple.contracts.SchemaVersion;

import java.time.Instant;
import java.util.UUID;

/**
 * The attempt failed.
 *
 * @param reason     what went wrong, for the client
 * @param retryable  true if another attempt may succeed (e.g. out of memory); false for bad input
 */
public record JobFailed(
        SchemaVersion schemaVersion,
        UUID jobId,
        String tenantId,
        int attempt,
        long sequence,
        Instant timestamp,
        String workerId,
        String reason,
        boolean retryable) implements JobEvent {

    public JobFailed {
        Envelope.check("JobFailed", schemaVersion, jobId, tenantId, attempt, sequence, timestamp);
        Envelope.require(workerId, "JobFailed", "worker_id");
        Envelope.require(reason, "JobFailed", "reason");
    }
}
