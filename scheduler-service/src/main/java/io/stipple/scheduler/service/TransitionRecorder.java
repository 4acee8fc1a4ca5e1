package io.stipple.scheduler.service;

import io.opentelemetry.context.Scope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.scheduler.config.SchedulerConfig;
import io.stipple.scheduler.domain.Outcome;
import io.stipple.scheduler.mapping.JobStatusMapper;
import io.stipple.scheduler.mapping.WorkItemMapper;
import io.stipple.scheduler.messaging.Outbox;
import io.stipple.scheduler.messaging.Publication;
import io.stipple.scheduler.metrics.SchedulerMetrics;
import io.stipple.scheduler.repository.JobEntity;
import io.stipple.scheduler.repository.JobEventEntity;
import io.stipple.tracing.TraceParent;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Stores what a lifecycle outcome means beyond the job row in the same transaction: the event log line
 * and the messages to send ({@link Outbox}), which it also returns. (Webhook notifications are the
 * gateway's: it writes them when it applies the status snapshot.)
 */
@ApplicationScoped
public class TransitionRecorder {

    private static final Logger LOG = Logger.getLogger(TransitionRecorder.class);

    private final SchedulerConfig config;
    private final SchedulerMetrics metrics;
    private final Outbox outbox;

    public TransitionRecorder(SchedulerConfig config, SchedulerMetrics metrics, Outbox outbox) {
        this.config = config;
        this.metrics = metrics;
        this.outbox = outbox;
    }

    /**
     * Notes what the outcome means beyond the job row, as the job is now (call right after the lifecycle changed
     * it, before the next change of the same job): its event log line, its messages, its metrics and log line.
     */
    public void add(Transitions into, JobEntity job, Outcome outcome, String source, Instant now) {
        Publication publication = Publication.inTrace(job.traceParent);
        switch (outcome.effect()) {
            case STATUS_CHANGED -> {
                publication.status(JobStatusMapper.toStatus(job));
                if (outcome.cancelWorker()) {
                    publication.control(WorkItemMapper.cancel(job, outcome.cancelAttempt(), outcome.detail(), now));
                }
                if (outcome.deadLetter()) {
                    publication.deadLetter(WorkItemMapper.toWorkItem(job, config.lease().heartbeatInterval()));
                }
                metrics.transition(outcome.trigger());
                if (job.status.isTerminal()) {
                    metrics.finished(job.kind, job.status, Duration.between(job.submittedAt, now));
                }
                log(job, outcome.trigger(), outcome.detail());
                into.events.add(event(job, outcome.trigger().name().toLowerCase(Locale.ROOT), outcome.detail(), source, now));
            }
            case DISPATCHED -> {
                publication.work(WorkItemMapper.toWorkItem(job, config.lease().heartbeatInterval()));
                metrics.dispatched(job.kind);
                log(job, null, outcome.detail());
                into.events.add(event(job, "dispatched", outcome.detail(), source, now));
            }
            case LEASE_EXTENDED -> {
                // Nothing beyond the row: a heartbeat only moves the lease.
            }
            case IGNORED ->
                // The job's current snapshot again, so whoever sent a duplicate or late input sees it handled;
                // readers drop it if they have it. (Healing a lost publish is the outbox's job now.)
                publication.status(JobStatusMapper.toStatus(job));
            default -> throw new IllegalStateException("unknown effect " + outcome.effect());
        }
        into.publication.addAll(publication);
    }

    /**
     * Writes what {@link #add} gathered, in the caller's transaction: first the session's pending row changes
     * (new jobs, which the log lines refer to), then every log line and every message with one statement,
     * whatever their number: a round trip before the commit costs every transaction on a job's path.
     *
     * @return the messages written to the outbox, in the order they were added
     */
    public Uni<Publication> store(Transitions transitions) {
        return Panache.getSession().chain(session -> session.flush())
                .chain(() -> outbox.store(transitions.publication, transitions.events))
                .replaceWith(transitions.publication);
    }

    /**
     * Stores a batch of dispatches (each job as {@code JobLifecycle.dispatch} left it, with that outcome): each
     * job's event log line and work item, all with one statement, whatever
     * the batch's size.
     *
     * @return the work items written to the outbox, in the jobs' order
     */
    public Uni<Publication> recordDispatches(List<JobEntity> jobs, List<Outcome> outcomes, String source, Instant now) {
        Transitions transitions = new Transitions();
        addDispatches(transitions, jobs, outcomes, source, now);
        return store(transitions);
    }

    /** As {@link #recordDispatches}, but only {@link #add added} to the caller's transitions, for it to store. */
    public void addDispatches(Transitions into, List<JobEntity> jobs, List<Outcome> outcomes, String source, Instant now) {
        for (int i = 0; i < jobs.size(); i++) {
            JobEntity job = jobs.get(i);
            Outcome outcome = outcomes.get(i);
            if (outcome.effect() != Outcome.Effect.DISPATCHED) {
                throw new IllegalArgumentException("job " + job.id + " was not dispatched: " + outcome.detail());
            }
            add(into, job, outcome, source, now);
        }
    }

    /**
     * One line per transition (progress only at debug level), in the job's trace: grep a trace id to
     * follow a job across the services' logs.
     */
    private static void log(JobEntity job, StatusTrigger trigger, String detail) {
        try (Scope ignored = TraceParent.attach(job.traceParent)) {
            String state = job.status.name().toLowerCase(Locale.ROOT);
            String line = detail == null || detail.equals(state) ? state : state + ": " + detail;
            LOG.logf(trigger == StatusTrigger.PROGRESS ? Logger.Level.DEBUG : Logger.Level.INFO, "job %s %s", job.id, line);
        }
    }

    private static JobEventEntity event(JobEntity job, String type, String detail, String source, Instant now) {
        JobEventEntity event = new JobEventEntity();
        event.jobId = job.id;
        event.statusSequence = job.statusSequence;
        event.attempt = job.attempt;
        event.type = type;
        event.status = job.status.name().toLowerCase(Locale.ROOT);
        event.detail = detail;
        event.source = source;
        event.occurredAt = now;
        event.recordedAt = now;
        return event;
    }
}
