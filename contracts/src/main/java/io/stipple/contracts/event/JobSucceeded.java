package io.stipple.contracts.event;

import io.stipple.contracts.Envelope;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.spec.ModelRef;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The job finished and its outputs are in the object store.
 *
 * @param outputs        the objects written (result images; for a fine-tune, the model version's files)
 * @param producedModel  the model version a fine-tune registered, else null
 * @param metrics        numbers the worker measured, e.g. {@code sampling_seconds}, {@code final_loss}
 * @param progress       the last step of the job's last stage, which the success implies and which the worker
 *                       therefore does not send as a progress event of its own (schema 1.3; null from older
 *                       workers, which sent that event, and from work without steps)
 */
public record JobSucceeded(
        SchemaVersion schemaVersion,
        UUID jobId,
        String tenantId,
        int attempt,
        long sequence,
        Instant timestamp,
        String workerId,
        List<JobOutput> outputs,
        ModelRef producedModel,
        Map<String, Double> metrics,
        Progress progress) implements JobEvent {

    public JobSucceeded {
        Envelope.check("JobSucceeded", schemaVersion, jobId, tenantId, attempt, sequence, timestamp);
        Envelope.require(workerId, "JobSucceeded", "worker_id");
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    /** A success that names no final step (work without steps, or one whose last step went out as progress). */
    public JobSucceeded(SchemaVersion schemaVersion, UUID jobId, String tenantId, int attempt, long sequence,
            Instant timestamp, String workerId, List<JobOutput> outputs, ModelRef producedModel,
            Map<String, Double> metrics) {
        this(schemaVersion, jobId, tenantId, attempt, sequence, timestamp, workerId, outputs, producedModel, metrics,
                null);
    }
}
