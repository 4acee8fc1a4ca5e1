package io.stipple.scheduler.domain;

import io.stipple.contracts.event.JobCanceled;
import io.stipple.contracts.event.JobEvent;
import io.stipple.contracts.event.JobFailed;
import io.stipple.contracts.event.JobHeartbeat;
import io.stipple.contracts.event.JobProgress;
import io.stipple.contracts.event.JobRunning;
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.contracts.event.Progress;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.scheduler.repository.JobEntity;
import io.stipple.scheduler.repository.StoredJson;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The job state machine: {@code queued -> running -> succeeded | failed | canceled}, with leases,
 * retries and cancellation. Every change of a job's state goes through here; it changes the row in
 * memory and says what to publish, and leaves storing and publishing to the caller. No I/O, no clock:
 * the caller passes {@code now}.
 *
 * <p>Worker events apply only to the attempt that currently holds a lease, in sequence order: an
 * event of an older attempt, a duplicate, a late one, or one for a finished job changes nothing, so a
 * job never moves backwards.
 */
public final class JobLifecycle {

    private final LifecycleRules rules;

    public JobLifecycle(LifecycleRules rules) {
        this.rules = rules;
    }

    /** A new job row, queued, for an accepted submission. */
    public JobEntity queue(JobSubmitted submitted, int cost, Instant now) {
        JobEntity job = new JobEntity();
        job.id = submitted.jobId();
        job.tenantId = submitted.tenantId();
        job.kind = submitted.kind();
        job.priority = submitted.spec().priority();
        job.cost = cost;
        job.spec = StoredJson.write(submitted.spec());
        // Postgres keeps microseconds: store what will be read back, so republished snapshots are identical.
        job.submittedAt = submitted.timestamp().truncatedTo(ChronoUnit.MICROS);
        job.queuedAt = now;
        job.status = JobState.QUEUED;
        change(job, StatusTrigger.QUEUED, "queued", now);
        return job;
    }

    /** Hands the next attempt to a worker: attempt + 1 and a fresh lease. */
    public Outcome dispatch(JobEntity job, Instant now) {
        if (job.status != JobState.QUEUED || job.isLeased() || job.cancelRequested) {
            return Outcome.ignored("not dispatchable: " + describe(job));
        }
        if (job.notBefore != null && now.isBefore(job.notBefore)) {
            return Outcome.ignored("backing off until " + job.notBefore);
        }
        job.notBefore = null;
        job.attempt += 1;
        job.eventSequence = 0;
        job.workerId = null;
        job.dispatchedAt = now;
        job.leaseExpiresAt = now.plus(rules.leaseDuration());
        job.updatedAt = now;
        return new Outcome(Outcome.Effect.DISPATCHED, null, "attempt " + job.attempt + " dispatched", false, 0, false);
    }

    /** Applies a worker's event, if it is the next news of the attempt that holds the lease. */
    public Outcome apply(JobEntity job, JobEvent event, Instant now) {
        if (job.status.isTerminal()) {
            return Outcome.ignored("job already " + lower(job.status));
        }
        if (!job.isLeased() || event.attempt() != job.attempt) {
            return Outcome.ignored("event of attempt " + event.attempt() + " but " + describe(job));
        }
        if (event.sequence() <= job.eventSequence) {
            return Outcome.ignored("duplicate or late event: sequence " + event.sequence()
                    + " <= applied " + job.eventSequence);
        }
        job.eventSequence = event.sequence();
        job.workerId = event.workerId();
        job.leaseExpiresAt = now.plus(rules.leaseDuration());
        job.updatedAt = now;
        if (event instanceof JobRunning) {
            return start(job, now);
        }
        if (event instanceof JobProgress progress) {
            return progress(job, progress.progress(), now);
        }
        if (event instanceof JobSucceeded succeeded) {
            return succeed(job, succeeded, now);
        }
        if (event instanceof JobFailed failed) {
            return fail(job, failed, now);
        }
        if (event instanceof JobCanceled canceled) {
            return finish(job, JobState.CANCELED, StatusTrigger.CANCELED,
                    canceled.reason() == null ? "canceled by the worker" : canceled.reason(), now);
        }
        if (event instanceof JobHeartbeat) {
            return new Outcome(Outcome.Effect.LEASE_EXTENDED, null, "heartbeat", false, 0, false);
        }
        throw new IllegalArgumentException("unknown event type " + event.getClass().getName());
    }

    /** Gives up an attempt whose lease ran out: re-queue it, or fail the job once attempts are spent. */
    public Outcome expireLease(JobEntity job, Instant now) {
        if (job.status.isTerminal() || !job.isLeased() || job.leaseExpiresAt.isAfter(now)) {
            return Outcome.ignored("lease not expired: " + describe(job));
        }
        String lost = "lease of attempt " + job.attempt + " expired"
                + (job.workerId == null ? " before any worker took it" : " (worker " + job.workerId + ")");
        if (job.cancelRequested) {
            return finish(job, JobState.CANCELED, StatusTrigger.CANCELED, "canceled; " + lost, now);
        }
        int lostAttempt = job.attempt;
        if (job.workerId == null) {
            // No worker consumed the item in time (none was running, or a crashed one's partitions were
            // still moving): nothing was tried, so the attempt is not used up. Re-dispatched: a copy
            // that arrives late is dropped by the worker (its lease has expired).
            job.unclaimedAttempts += 1;
            return requeue(job, lost + "; re-queued (no worker took it: not counted)", now).withCancelOf(lostAttempt);
        }
        if (claimedAttempts(job) < rules.maxAttempts()) {
            return requeue(job, lost + "; re-queued", now).withCancelOf(lostAttempt);
        }
        setError(job, lost + " on the last of " + rules.maxAttempts() + " attempts", true);
        return finish(job, JobState.FAILED, StatusTrigger.FAILED, job.errorReason, now)
                .withCancelOf(lostAttempt).withDeadLetter();
    }

    /** The client asked to cancel: at once while waiting, through the worker while an attempt holds it. */
    public Outcome requestCancel(JobEntity job, String reason, Instant now) {
        if (job.status.isTerminal()) {
            return Outcome.ignored("job already " + lower(job.status));
        }
        if (job.cancelRequested) {
            return Outcome.ignored("cancel already requested");
        }
        String why = reason == null || reason.isBlank() ? "canceled by the client" : reason;
        if (!job.isLeased()) {
            return finish(job, JobState.CANCELED, StatusTrigger.CANCELED, why, now);
        }
        job.cancelRequested = true;
        return change(job, StatusTrigger.CANCEL_REQUESTED, "cancel requested: " + why, now).withCancelOf(job.attempt);
    }

    private Outcome start(JobEntity job, Instant now) {
        if (job.status == JobState.RUNNING) {
            return new Outcome(Outcome.Effect.LEASE_EXTENDED, null, "already running", false, 0, false);
        }
        job.status = JobState.RUNNING;
        job.startedAt = now;
        return remindOfCancel(job, change(job, StatusTrigger.RUNNING,
                "attempt " + job.attempt + " running on " + job.workerId, now));
    }

    /**
     * A cancel requested while the attempt was dispatched but not yet started may have reached no
     * worker (none held the job then): once a worker reports the job started, it is told again.
     */
    private static Outcome remindOfCancel(JobEntity job, Outcome outcome) {
        return job.cancelRequested ? outcome.withCancelOf(job.attempt) : outcome;
    }

    private Outcome progress(JobEntity job, Progress progress, Instant now) {
        // A progress event can overtake a lost or late "running": it proves the job runs.
        boolean starts = job.status == JobState.QUEUED;
        if (starts) {
            job.status = JobState.RUNNING;
            job.startedAt = now;
        }
        setProgress(job, progress);
        Outcome outcome = change(job, StatusTrigger.PROGRESS,
                (progress.stage() == null ? "step " : progress.stage() + " step ") + progress.step() + "/" + progress.total(),
                now);
        return starts ? remindOfCancel(job, outcome) : outcome;
    }

    private Outcome succeed(JobEntity job, JobSucceeded succeeded, Instant now) {
        if (succeeded.progress() != null) {
            // the last step, which the worker sends with the success rather than as a progress event of its own
            setProgress(job, succeeded.progress());
        }
        job.outputs = StoredJson.write(succeeded.outputs());
        job.producedModel = succeeded.producedModel() == null ? null : succeeded.producedModel().toString();
        job.errorReason = null;
        job.errorRetryable = null;
        return finish(job, JobState.SUCCEEDED, StatusTrigger.SUCCEEDED,
                succeeded.outputs().size() + " output(s)", now);
    }

    private Outcome fail(JobEntity job, JobFailed failed, Instant now) {
        setError(job, failed.reason(), failed.retryable());
        if (!failed.retryable()) {
            return finish(job, JobState.FAILED, StatusTrigger.FAILED, failed.reason(), now);
        }
        if (job.cancelRequested) {
            return finish(job, JobState.CANCELED, StatusTrigger.CANCELED, "canceled; the attempt had failed: "
                    + failed.reason(), now);
        }
        if (failed.lostToInfrastructure()) {
            // The store or another dependency was away: the job did nothing wrong, so its own attempts stay;
            // a longer budget of its own, spent slowly by the backoff, rides out an outage of many minutes.
            job.infrastructureAttempts += 1;
            if (job.infrastructureAttempts < rules.infrastructureAttempts()) {
                return requeueAfter(job, job.infrastructureAttempts, "attempt " + job.attempt
                        + " lost to the infrastructure (" + failed.reason() + ")", now);
            }
            setError(job, failed.reason() + " (attempt lost to the infrastructure, " + rules.infrastructureAttempts()
                    + " times)", true);
            return finish(job, JobState.FAILED, StatusTrigger.FAILED, job.errorReason, now).withDeadLetter();
        }
        if (claimedAttempts(job) < rules.maxAttempts()) {
            return requeueAfter(job, claimedAttempts(job), "attempt " + job.attempt + " failed (" + failed.reason() + ")",
                    now);
        }
        setError(job, failed.reason() + " (on the last of " + rules.maxAttempts() + " attempts)", true);
        return finish(job, JobState.FAILED, StatusTrigger.FAILED, job.errorReason, now).withDeadLetter();
    }

    /** Re-queues a job that failed retryably, not to be dispatched before its backoff for that many failures ran out. */
    private Outcome requeueAfter(JobEntity job, int failures, String what, Instant now) {
        Duration wait = rules.retryBackoff().after(failures);
        Outcome outcome = requeue(job, what + "; re-queued, retried in " + wait.toMillis() + " ms", now);
        job.notBefore = now.plus(wait);
        return outcome;
    }

    /**
     * Attempts a worker took (sent at least one event for) and did not lose to the infrastructure: what the
     * attempt limit counts.
     */
    private static int claimedAttempts(JobEntity job) {
        return job.attempt - job.unclaimedAttempts - job.infrastructureAttempts;
    }

    private Outcome requeue(JobEntity job, String detail, Instant now) {
        job.status = JobState.QUEUED;
        job.notBefore = null;
        job.queuedAt = now;
        job.startedAt = null;
        clearProgress(job);
        releaseLease(job);
        return change(job, StatusTrigger.REQUEUED, detail, now);
    }

    private Outcome finish(JobEntity job, JobState terminal, StatusTrigger trigger, String detail, Instant now) {
        job.status = terminal;
        job.completedAt = now;
        job.cancelRequested = false;
        releaseLease(job);
        return change(job, trigger, detail, now);
    }

    private static Outcome change(JobEntity job, StatusTrigger trigger, String detail, Instant now) {
        job.statusSequence += 1;
        job.statusAttempt = job.attempt;
        job.statusAt = now;
        job.trigger = trigger;
        job.detail = detail;
        job.updatedAt = now;
        return Outcome.changed(trigger, detail);
    }

    private static void setError(JobEntity job, String reason, boolean retryable) {
        job.errorReason = reason;
        job.errorRetryable = retryable;
    }

    private static void releaseLease(JobEntity job) {
        job.dispatchedAt = null;
        job.leaseExpiresAt = null;
    }

    private static void setProgress(JobEntity job, Progress progress) {
        job.progressStep = progress.step();
        job.progressTotal = progress.total();
        job.progressStage = progress.stage();
        job.progressLoss = progress.loss();
        job.progressPreviewKey = progress.previewKey();
    }

    private static void clearProgress(JobEntity job) {
        job.progressStep = null;
        job.progressTotal = null;
        job.progressStage = null;
        job.progressLoss = null;
        job.progressPreviewKey = null;
    }

    private static String describe(JobEntity job) {
        return "job is " + lower(job.status) + ", attempt " + job.attempt + (job.isLeased() ? " (leased)" : " (not leased)");
    }

    private static String lower(JobState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }
}
