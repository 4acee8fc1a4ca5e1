package io.stipple.scheduler.mapping;

import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.spec.FineTuneSpec;
import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.JobSpec;
import io.stipple.contracts.spec.ModelImportSpec;
import io.stipple.contracts.work.ControlAction;
import io.stipple.contracts.work.FineTuneWorkItem;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.contracts.work.JobControl;
import io.stipple.contracts.work.LeasedWorkItem;
import io.stipple.contracts.work.ModelImportWorkItem;
import io.stipple.scheduler.repository.JobEntity;
import io.stipple.scheduler.repository.StoredJson;
import java.time.Duration;
import java.time.Instant;

/**
 * Builds what the scheduler sends to workers from a job row. Work items and control messages carry
 * the job's status sequence, which only grows, as their per-job sequence.
 */
public final class WorkItemMapper {

    private WorkItemMapper() {
    }

    /**
     * The work item of the job's current attempt. Object-store locations are derived from the job
     * alone, so a re-dispatched attempt writes to (and a trainer resumes from) the same place; a
     * fine-tune registers its model version under the job id, which makes registration idempotent.
     */
    public static LeasedWorkItem toWorkItem(JobEntity job, Duration heartbeatInterval) {
        JobSpec spec = StoredJson.readSpec(job.spec);
        Instant at = job.dispatchedAt != null ? job.dispatchedAt : job.updatedAt;
        // No default: a new job kind fails to compile here until it has a work item.
        return switch (spec.kind()) {
            case GENERATION -> new GenerationWorkItem(SchemaVersion.CURRENT, job.id, job.tenantId, job.attempt,
                    job.statusSequence, at, (GenerationSpec) spec, "results/" + job.tenantId + "/" + job.id + "/",
                    heartbeatInterval.toMillis(), job.leaseExpiresAt);
            case FINETUNE -> fineTune(job, (FineTuneSpec) spec, at, heartbeatInterval);
            case MODEL_IMPORT -> modelImport(job, (ModelImportSpec) spec, at, heartbeatInterval);
        };
    }

    /** An import writes where the version it registers lives; the gateway made sure nobody else holds that name. */
    private static ModelImportWorkItem modelImport(JobEntity job, ModelImportSpec spec, Instant at,
            Duration heartbeatInterval) {
        return new ModelImportWorkItem(SchemaVersion.CURRENT, job.id, job.tenantId, job.attempt, job.statusSequence, at,
                spec, "models/" + spec.model().name() + "/" + spec.model().version() + "/", heartbeatInterval.toMillis(),
                job.leaseExpiresAt);
    }

    private static FineTuneWorkItem fineTune(JobEntity job, FineTuneSpec fineTune, Instant at, Duration heartbeatInterval) {
        String version = job.id.toString();
        return new FineTuneWorkItem(SchemaVersion.CURRENT, job.id, job.tenantId, job.attempt, job.statusSequence, at,
                fineTune, "checkpoints/" + job.tenantId + "/" + job.id + "/",
                "models/" + fineTune.outputModelName() + "/" + version + "/", version, heartbeatInterval.toMillis(),
                job.leaseExpiresAt);
    }

    /** Tells the worker of {@code attempt} to stop between steps. */
    public static JobControl cancel(JobEntity job, int attempt, String reason, Instant now) {
        return new JobControl(SchemaVersion.CURRENT, job.id, job.tenantId, attempt, job.statusSequence, now,
                ControlAction.CANCEL, reason);
    }
}
