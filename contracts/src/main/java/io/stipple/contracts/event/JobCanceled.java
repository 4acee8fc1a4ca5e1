package io.stipple.contracts.event;

import io.stipple.contracts.Envelope;
import io.stipple.contracts.SchemaVersion;

import java.time.Instant;
import java.util.UUID;

/** The worker stopped the job after a cancel control message. */
public record JobCanceled(
        SchemaVersion schemaVersion,
        UUID jobId,
        String tenantId,
        int attempt,
        long sequence,
        Instant timestamp,
        String workerId,
        String reason) implements JobEvent {

    public JobCanceled {
        Envelope.check("JobCanceled", schemaVersion, jobId, tenantId, attempt, sequence, timestamp);
        Envelope.require(workerId, "JobCanceled", "worker_id");
    }
}
