package io.stipple.contracts.request;

import io.stipple.contracts.Envelope;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.spec.JobSpec;

import java.time.Instant;
import java.util.UUID;

/**
 * A job the gateway accepted (answered 202). Attempt 0, sequence 0; {@code timestamp} is when it
 * was accepted. The spec is fully resolved: defaults applied, seed chosen.
 */
public record JobSubmitted(
        SchemaVersion schemaVersion,
        UUID jobId,
        String tenantId,
        int attempt,
        long sequence,
        Instant timestamp,
        JobSpec spec) implements JobRequest {

    public JobSubmitted {
        Envelope.check("JobSubmitted", schemaVersion, jobId, tenantId, attempt, sequence, timestamp);
        Envelope.require(spec, "JobSubmitted", "spec");
    }

    /** A submission in the current schema version. */
    public static JobSubmitted of(UUID jobId, String tenantId, Instant acceptedAt, JobSpec spec) {
        return new JobSubmitted(SchemaVersion.CURRENT, jobId, tenantId, 0, 0, acceptedAt, spec);
    }

    public JobKind kind() {
        return spec.kind();
    }
}
