package io.stipple.contracts.status;

import io.stipple.contracts.Envelope;
import io.stipple.contracts.JobMessage;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.event.JobOutput;
import io.stipple.contracts.event.Progress;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.spec.ModelRef;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The scheduler's full, authoritative state of a job, published on {@code Topics.JOBS_STATUS}
 * after every committed change. A snapshot, not a delta: a reader that keeps only the newest one
 * by (attempt, sequence) is up to date. {@code sequence} grows by one per snapshot over the
 * job's whole life.
 *
 * @param kind             generation or fine-tune
 * @param status           current state
 * @param trigger          what caused this snapshot (names the SSE event)
 * @param detail           a human-readable line for the event log, or null
 * @param progress         latest progress, or null before the first step
 * @param outputs          objects written, empty until it succeeded
 * @param producedModel    the model version a successful fine-tune registered, else null
 * @param error            why it failed, else null
 * @param timestamps       milestones
 * @param cancelRequested  the client asked to cancel and the job has not stopped yet
 */
public record JobStatus(
        SchemaVersion schemaVersion,
        UUID jobId,
        String tenantId,
        int attempt,
        long sequence,
        Instant timestamp,
        JobKind kind,
        JobState status,
        StatusTrigger trigger,
        String detail,
        Progress progress,
        List<JobOutput> outputs,
        ModelRef producedModel,
        JobError error,
        JobTimestamps timestamps,
        boolean cancelRequested) implements JobMessage {

    public JobStatus {
        Envelope.check("JobStatus", schemaVersion, jobId, tenantId, attempt, sequence, timestamp);
        Envelope.require(kind, "JobStatus", "kind");
        Envelope.require(status, "JobStatus", "status");
        Envelope.require(trigger, "JobStatus", "trigger");
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        timestamps = timestamps == null ? new JobTimestamps(null, null, null, null) : timestamps;
    }
}
