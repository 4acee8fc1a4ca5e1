package io.stipple.scheduler.service;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.request.CancelRequested;
import io.stipple.contracts.request.JobRequest;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.scheduler.domain.JobLifecycle;
import io.stipple.scheduler.domain.Outcome;
import io.stipple.scheduler.metrics.SchedulerMetrics;
import io.stipple.scheduler.policy.JobCost;
import io.stipple.scheduler.repository.JobEntity;
import io.stipple.scheduler.repository.JobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Applies the gateway's requests (submissions, cancellations) to the job rows: a batch of them in one
 * transaction (the caller's), with the rows of the jobs they name locked, each request in its turn (a job's requests arrive in
 * order, from one partition: its submission before its cancel).
 */
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
     * A request as it arrived.
     *
     * @param traceParent the trace the request arrived in, kept with a new job; null when untraced
     */
    public record Received(JobRequest request, String traceParent) {
    }

    /**
     * Applies the requests, in the list's order, in the caller's transaction: the job rows are written, the rest of
     * what they decided (event log lines, messages) is returned for the caller to {@link TransitionRecorder#store
     * store} in that transaction. Each request is judged against its job as the requests before it left it (a
     * second submission of a job the batch has just queued is a duplicate).
     */
    public Uni<Transitions> applyAll(List<Received> requests) {
        Set<UUID> ids = requests.stream().map(received -> received.request().jobId()).collect(Collectors.toSet());
        return jobs.lockAll(ids).flatMap(locked -> {
            Map<UUID, JobEntity> byId = locked.stream().collect(Collectors.toMap(job -> job.id, job -> job));
            List<JobEntity> queued = new ArrayList<>();
            Transitions transitions = new Transitions();
            Instant now = clock.instant();
            for (Received received : requests) {
                if (received.request() instanceof JobSubmitted submitted) {
                    submit(submitted, received.traceParent(), byId, queued, transitions, now);
                } else {
                    cancel((CancelRequested) received.request(), byId.get(received.request().jobId()), transitions, now);
                }
            }
            Uni<Void> persisted = queued.isEmpty() ? Uni.createFrom().voidItem() : jobs.persist(queued);
            return persisted.replaceWith(transitions);
        });
    }

    private void submit(JobSubmitted submitted, String traceParent, Map<UUID, JobEntity> byId, List<JobEntity> queued,
            Transitions transitions, Instant now) {
        JobEntity existing = byId.get(submitted.jobId());
        if (existing != null) {
            metrics.ignored("duplicate_submission");
            recorder.add(transitions, existing, Outcome.ignored("already submitted"), SOURCE, now);
            return;
        }
        JobEntity job = lifecycle.queue(submitted, JobCost.of(submitted.spec()), now);
        job.traceParent = traceParent;
        byId.put(job.id, job);
        queued.add(job);
        recorder.add(transitions, job, Outcome.changed(StatusTrigger.QUEUED, job.detail), SOURCE, now);
    }

    private void cancel(CancelRequested cancel, JobEntity job, Transitions transitions, Instant now) {
        if (job == null) {
            // The request topic keeps a job's submission before its cancel, so this is a job the
            // scheduler never accepted (or another deployment's): nothing to cancel.
            LOG.warnf("cancel of unknown job %s ignored", cancel.jobId());
            metrics.ignored("cancel_unknown_job");
            return;
        }
        Outcome outcome = lifecycle.requestCancel(job, cancel.reason(), now);
        if (outcome.effect() == Outcome.Effect.IGNORED) {
            metrics.ignored("cancel");
        }
        recorder.add(transitions, job, outcome, SOURCE, now);
    }
}
