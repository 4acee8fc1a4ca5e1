package io.stipple.contracts.event;

import io.stipple.contracts.Envelope;
import io.stipple.contracts.SchemaVersion;

import java.time.Instant;
import java.util.UUID;

/** A step finished; also counts as a heartbeat. */
public record JobProgress(
        SchemaVersion schemaVersion,
        UUID jobId,
        String tenantId,
        int attempt,
        long sequence,
        Instant timestamp,
        String workerId,
        Progress progress) implements JobEvent {

    public JobProgress {
        Envelope.check("JobProgress", schemaVersion, jobId, tenantId, attempt, sequence, timestamp);
        Envelope.require(workerId, "JobProgress", "worker_id");
        Envelope.require(progress, "JobProgress", "progress");
    }
}
