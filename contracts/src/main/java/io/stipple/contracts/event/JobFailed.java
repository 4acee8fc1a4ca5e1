package io.stipple.contracts.event;

import io.stipple.contracts.Envelope;
import io.stipple.contracts.SchemaVersion;

import java.time.Instant;
import java.util.UUID;

/**
 * The attempt failed.
 *
 * @param reason         what went wrong, for the client
 * @param retryable      true if another attempt may succeed (e.g. out of memory); false for bad input
 * @param infrastructure true if the attempt was lost to the infrastructure (the object store away, a
 *                       download it broke off), not to the job itself: the scheduler retries such an
 *                       attempt from a budget of its own. Optional (schema 1.1); absent or null: false.
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
        boolean retryable,
        Boolean infrastructure) implements JobEvent {

    public JobFailed {
        Envelope.check("JobFailed", schemaVersion, jobId, tenantId, attempt, sequence, timestamp);
        Envelope.require(workerId, "JobFailed", "worker_id");
        Envelope.require(reason, "JobFailed", "reason");
    }

    /** A failure of the job itself (not of the infrastructure). */
    public JobFailed(SchemaVersion schemaVersion, UUID jobId, String tenantId, int attempt, long sequence, Instant timestamp,
            String workerId, String reason, boolean retryable) {
        this(schemaVersion, jobId, tenantId, attempt, sequence, timestamp, workerId, reason, retryable, null);
    }

    /** True if the attempt was lost to the infrastructure rather than to the job; see the record's doc. */
    public boolean lostToInfrastructure() {
        return Boolean.TRUE.equals(infrastructure);
    }
}
