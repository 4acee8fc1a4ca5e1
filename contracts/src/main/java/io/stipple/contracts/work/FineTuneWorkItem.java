package io.stipple.contracts.work;

import io.stipple.contracts.Envelope;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.spec.FineTuneSpec;

import java.time.Instant;
import java.util.UUID;

/**
 * A fine-tune job dispatched by the scheduler to trainers ({@code Topics.WORK_FINETUNE}).
 *
 * @param checkpointPrefix      object-store key prefix for checkpoints; a re-dispatched attempt resumes from here
 * @param outputPrefix          object-store key prefix for the exported model version
 * @param outputModelVersion    the version the new model is registered as
 * @param heartbeatIntervalMs   how often the trainer must heartbeat while it holds the job
 * @param leaseExpiresAt        when the scheduler re-queues the job if no heartbeat came
 */
public record FineTuneWorkItem(
        SchemaVersion schemaVersion,
        UUID jobId,
        String tenantId,
        int attempt,
        long sequence,
        Instant timestamp,
        FineTuneSpec spec,
        String checkpointPrefix,
        String outputPrefix,
        String outputModelVersion,
        long heartbeatIntervalMs,
        Instant leaseExpiresAt) implements LeasedWorkItem {

    public FineTuneWorkItem {
        Envelope.check("FineTuneWorkItem", schemaVersion, jobId, tenantId, attempt, sequence, timestamp);
        Envelope.require(spec, "FineTuneWorkItem", "spec");
        Envelope.require(checkpointPrefix, "FineTuneWorkItem", "checkpoint_prefix");
        Envelope.require(outputPrefix, "FineTuneWorkItem", "output_prefix");
        Envelope.require(outputModelVersion, "FineTuneWorkItem", "output_model_version");
    }
}
