package io.stipple.contracts.work;

import io.stipple.contracts.Envelope;
import io.stipple.contracts.JobMessage;
import io.stipple.contracts.SchemaVersion;

import java.time.Instant;
import java.util.UUID;

/**
 * A control message from the scheduler to whichever worker holds the job
 * ({@code Topics.JOBS_CONTROL}); {@code attempt} names the attempt it is meant for.
 */
public record JobControl(
        SchemaVersion schemaVersion,
        UUID jobId,
        String tenantId,
        int attempt,
        long sequence,
        Instant timestamp,
        ControlAction action,
        String reason) implements JobMessage {

    public JobControl {
        Envelope.check("JobControl", schemaVersion, jobId, tenantId, attempt, sequence, timestamp);
        Envelope.require(action, "JobControl", "action");
    }
}
