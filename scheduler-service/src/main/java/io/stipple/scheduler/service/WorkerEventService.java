package io.stipple.scheduler.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.stipple.contracts.event.JobEvent;
import io.stipple.scheduler.domain.JobLifecycle;
import io.stipple.scheduler.domain.Outcome;
import io.stipple.scheduler.messaging.Publication;
import io.stipple.scheduler.metrics.SchedulerMetrics;
import io.stipple.scheduler.repository.JobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/** Applies workers' events to the job rows, one transaction each, with the job row locked. */
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

    /** Commits the event's effect and returns what to publish afterwards. */
    public Uni<Publication> handle(JobEvent event) {
        return Panache.withTransaction(() -> jobs.lockById(event.jobId()).flatMap(job -> {
            if (job == null) {
                LOG.warnf("event %s of unknown job %s ignored", event.getClass().getSimpleName(), event.jobId());
                metrics.ignored("event_unknown_job");
                return Uni.createFrom().item(Publication.empty());
            }
            var now = clock.instant();
            Outcome outcome = lifecycle.apply(job, event, now);
            if (outcome.effect() == Outcome.Effect.IGNORED) {
                LOG.debugf("job %s: %s ignored: %s", job.id, event.getClass().getSimpleName(), outcome.detail());
                metrics.ignored("event");
            }
            return recorder.record(job, outcome, "worker:" + event.workerId(), now);
        }));
    }
}
