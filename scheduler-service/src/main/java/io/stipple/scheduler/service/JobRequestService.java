package io.stipple.scheduler.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.stipple.contracts.request.CancelRequested;
import io.stipple.contracts.request.JobRequest;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.scheduler.domain.JobLifecycle;
import io.stipple.scheduler.domain.Outcome;
import io.stipple.scheduler.messaging.Publication;
import io.stipple.scheduler.metrics.SchedulerMetrics;
import io.stipple.scheduler.policy.JobCost;
import io.stipple.scheduler.repository.JobEntity;
import io.stipple.scheduler.repository.JobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/** Applies the gateway's requests (submissions, cancellations) to the job rows, one transaction each. */
@ApplicationScoped
public class JobRequestService {

    private static final Logger LOG = Logger.getLogger(JobRequestService.class);
    private static final String SOURCE = "gateway";

    private final JobRepository jobs;
    private final JobLifecycle lifecycle;
    private final TransitionRecorder recorder;
    private final SchedulerMetrics metrics;
    private final Clock clock;

    public JobRequestService(JobRepository jobs, JobLifecycle lifecycle, TransitionRecorder recorder,
            SchedulerMetrics metrics, Clock clock) {
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.recorder = recorder;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Commits the request's effect and returns what to publish afterwards.
     *
     * @param traceParent the trace the request arrived in, kept with a new job; null when untraced
     */
    public Uni<Publication> handle(JobRequest request, String traceParent) {
        return Panache.withTransaction(() -> request instanceof JobSubmitted submitted
                ? submit(submitted, traceParent)
                : cancel((CancelRequested) request));
    }

    private Uni<Publication> submit(JobSubmitted submitted, String traceParent) {
        return jobs.lockById(submitted.jobId()).flatMap(existing -> {
            var now = clock.instant();
            if (existing != null) {
                metrics.ignored("duplicate_submission");
                return recorder.record(existing, Outcome.ignored("already submitted"), SOURCE, now);
            }
            JobEntity job = lifecycle.queue(submitted, JobCost.of(submitted.spec()), now);
            job.traceParent = traceParent;
            return jobs.persist(job).flatMap(persisted ->
                    recorder.record(job, Outcome.changed(StatusTrigger.QUEUED, job.detail), SOURCE, now));
        });
    }

    private Uni<Publication> cancel(CancelRequested cancel) {
        return jobs.lockById(cancel.jobId()).flatMap(job -> {
            if (job == null) {
                // The request topic keeps a job's submission before its cancel, so this is a job the
                // scheduler never accepted (or another deployment's): nothing to cancel.
                LOG.warnf("cancel of unknown job %s ignored", cancel.jobId());
                metrics.ignored("cancel_unknown_job");
                return Uni.createFrom().item(Publication.empty());
            }
            Outcome outcome = lifecycle.requestCancel(job, cancel.reason(), clock.instant());
            if (outcome.effect() == Outcome.Effect.IGNORED) {
                metrics.ignored("cancel");
            }
            return recorder.record(job, outcome, SOURCE, clock.instant());
        });
    }
}
