package io.stipple.scheduler.service;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.event.JobEvent;
import io.stipple.scheduler.domain.JobLifecycle;
import io.stipple.scheduler.domain.Outcome;
import io.stipple.scheduler.metrics.SchedulerMetrics;
import io.stipple.scheduler.repository.JobEntity;
import io.stipple.scheduler.repository.JobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Applies workers' events to the job rows: a batch of them in one transaction (the caller's), with their jobs' rows locked,
 * each event in its turn (a job's events arrive in order, from one partition, and are applied in that order).
 */
@ApplicationScoped
public class WorkerEventService {

    private static final Logger LOG = Logger.getLogger(WorkerEventService.class);

    private final JobRepository jobs;
    private final JobLifecycle lifecycle;
    private final TransitionRecorder recorder;
    private final SchedulerMetrics metrics;
    private final Clock clock;

    public WorkerEventService(JobRepository jobs, JobLifecycle lifecycle, TransitionRecorder recorder,
            SchedulerMetrics metrics, Clock clock) {
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.recorder = recorder;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Applies the events, in the list's order, in the caller's transaction: the job rows are changed, the rest of
     * what they decided (event log lines, messages) is returned for the caller to {@link TransitionRecorder#store
     * store} in that transaction. Each event is judged against its job as the events before it left it (a
     * duplicate of an earlier event in the same batch is ignored like any duplicate).
     */
    public Uni<Transitions> applyAll(List<JobEvent> events) {
        Set<UUID> ids = events.stream().map(JobEvent::jobId).collect(Collectors.toSet());
        return jobs.lockAll(ids).map(locked -> {
            Map<UUID, JobEntity> byId = locked.stream().collect(Collectors.toMap(job -> job.id, job -> job));
            Transitions transitions = new Transitions();
            Instant now = clock.instant();
            for (JobEvent event : events) {
                apply(event, byId.get(event.jobId()), transitions, now);
            }
            return transitions;
        });
    }

    private void apply(JobEvent event, JobEntity job, Transitions transitions, Instant now) {
        if (job == null) {
            LOG.warnf("event %s of unknown job %s ignored", event.getClass().getSimpleName(), event.jobId());
            metrics.ignored("event_unknown_job");
            return;
        }
        Outcome outcome = lifecycle.apply(job, event, now);
        if (outcome.effect() == Outcome.Effect.IGNORED) {
            LOG.debugf("job %s: %s ignored: %s", job.id, event.getClass().getSimpleName(), outcome.detail());
            metrics.ignored("event");
        }
        recorder.add(transitions, job, outcome, "worker:" + event.workerId(), now);
    }
}
