package io.stipple.contracts.work;

import io.stipple.contracts.Envelope;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.spec.GenerationSpec;

import java.time.Instant;
import java.util.UUID;

/**
 * A generation job dispatched by the scheduler to gpu-workers ({@code Topics.WORK_GENERATION}).
 * {@code attempt} starts at 1 and grows with every re-dispatch after a lost lease; workers echo it
 * on every event so that events of an abandoned attempt are recognised and ignored.
 *
 * @param outputPrefix          object-store key prefix for the results, e.g. {@code results/{tenant}/{job}/}
 * @param heartbeatIntervalMs   how often the worker must heartbeat while it holds the job
 * @param leaseExpiresAt        when the scheduler re-queues the job if no heartbeat came
 */
public record GenerationWorkItem(
        SchemaVersion schemaVersion,
        UUID jobId,
        String tenantId,
        int attempt,
        long sequence,
        Instant timestamp,
        GenerationSpec spec,
        String outputPrefix,
        long heartbeatIntervalMs,
        Instant leaseExpiresAt) implements LeasedWorkItem {

    public GenerationWorkItem {
        Envelope.check("GenerationWorkItem", schemaVersion, jobId, tenantId, attempt, sequence, timestamp);
        Envelope.require(spec, "GenerationWorkItem", "spec");
        Envelope.require(outputPrefix, "GenerationWorkItem", "output_prefix");
    }
}
