package io.stipple.contracts.event;

import io.stipple.contracts.Envelope;
import io.stipple.contracts.SchemaVersion;

import java.time.Instant;
import java.util.UUID;

/** The worker still holds the job: extends its lease. */
public record JobHeartbeat(
        SchemaVersion schemaVersion,
        UUID jobId,
        String tenantId,
        int attempt,
        long sequence,
        Instant timestamp,
        String workerId) implements JobEvent {

    public JobHeartbeat {
        Envelope.check("JobHeartbeat", schemaVersion, jobId, tenantId, attempt, sequence, timestamp);
        Envelope.require(workerId, "JobHeartbeat", "worker_id");
    }
}
