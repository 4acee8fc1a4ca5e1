package io.stipple.contracts.work;

import io.stipple.contracts.Envelope;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.spec.ModelImportSpec;

import java.time.Instant;
import java.util.UUID;

/**
 * A model import dispatched by the scheduler to trainers ({@code Topics.WORK_MODEL_IMPORT}).
 *
 * @param outputPrefix         object-store prefix the validated model is written under, {@code models/{name}/{version}/}
 * @param heartbeatIntervalMs  how often the trainer must heartbeat while it holds the job
 * @param leaseExpiresAt       when the scheduler re-queues the job if no heartbeat came
 */
public record ModelImportWorkItem(
        SchemaVersion schemaVersion,
        UUID jobId,
        String tenantId,
        int attempt,
        long sequence,
        Instant timestamp,
        ModelImportSpec spec,
        String outputPrefix,
        long heartbeatIntervalMs,
        Instant leaseExpiresAt) implements LeasedWorkItem {

    public ModelImportWorkItem {
        Envelope.check("ModelImportWorkItem", schemaVersion, jobId, tenantId, attempt, sequence, timestamp);
        Envelope.require(spec, "ModelImportWorkItem", "spec");
        Envelope.require(outputPrefix, "ModelImportWorkItem", "output_prefix");
    }
}
