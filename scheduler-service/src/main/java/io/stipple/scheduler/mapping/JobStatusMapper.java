package io.stipple.scheduler.mapping;

import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.event.Progress;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.status.JobError;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.JobStatus;
import io.stipple.contracts.status.JobTimestamps;
import io.stipple.scheduler.repository.JobEntity;
import io.stipple.scheduler.repository.StoredJson;

/** Turns a job row into the {@code JobStatus} snapshot the gateway sees (its read model, and from it the webhooks). */
public final class JobStatusMapper {

    private JobStatusMapper() {
    }

    public static JobStatus toStatus(JobEntity job) {
        return new JobStatus(
                SchemaVersion.CURRENT,
                job.id,
                job.tenantId,
                job.statusAttempt,
                job.statusSequence,
                job.statusAt,
                job.kind,
                job.status,
                job.trigger,
                job.detail,
                progress(job),
                StoredJson.readOutputs(job.outputs),
                job.producedModel == null ? null : ModelRef.parse(job.producedModel),
                error(job),
                new JobTimestamps(job.submittedAt, job.queuedAt, job.startedAt, job.completedAt),
                job.cancelRequested);
    }

    private static Progress progress(JobEntity job) {
        if (job.progressStep == null || job.progressTotal == null) {
            return null;
        }
        return new Progress(job.progressStep, job.progressTotal, job.progressStage, job.progressLoss, job.progressPreviewKey);
    }

    /** The error of a failed job; a re-queued job keeps its last failure in the row and in {@code detail} only. */
    private static JobError error(JobEntity job) {
        if (job.status != JobState.FAILED || job.errorReason == null) {
            return null;
        }
        return new JobError(job.errorReason, Boolean.TRUE.equals(job.errorRetryable));
    }
}
