package io.stipple.contracts.event;

import io.stipple.contracts.Envelope;
import io.stipple.contracts.SchemaVersion;

import java.time.Instant;
import java.util.UUID;

/** The worker took the job and started it. */
public record JobRunning(
        SchemaVersion schemaVersion,
        UUID jobId,
        String tenantId,
        int attempt,
        long sequence,
        Instant timestamp,
        String workerId) implements JobEvent {

    public JobRunning {
        Envelope.check("JobRunning", schemaVersion, jobId, tenantId, attempt, sequence, timestamp);
        Envelope.require(workerId, "JobRunning", "worker_id");
    }
}
