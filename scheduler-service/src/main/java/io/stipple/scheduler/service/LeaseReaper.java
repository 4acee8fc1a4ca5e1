package io.stipple.scheduler.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.stipple.consumer.ConsumerRetry;
import io.stipple.consumer.OutageLog;
import io.stipple.scheduler.config.SchedulerConfig;
import io.stipple.scheduler.domain.JobLifecycle;
import io.stipple.scheduler.domain.Outcome;
import io.stipple.scheduler.messaging.Channels;
import io.stipple.scheduler.messaging.OutboxRelay;
import io.stipple.scheduler.messaging.Publication;
import io.stipple.scheduler.messaging.WorkerEventWatermark;
import io.stipple.scheduler.metrics.SchedulerMetrics;
import io.stipple.scheduler.repository.JobEntity;
import io.stipple.scheduler.repository.JobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Gives up attempts whose worker went silent: every lease that ran out re-queues its job (attempt + 1
 * at the next dispatch), or fails it and dead-letters its work item once attempts are spent. Its messages
 * go through the outbox like every other change's, so a final state reaches the gateway even when the
 * broker is away at that moment.
 *
 * <p>It does not reap while the worker-event consumer waits out an outage (the database away: a record
 * it cannot commit, retried in place) nor for one lease after: the workers' events of the outage, their
 * heartbeats and successes, are then still unread or being handled, and a lease that seems to have run
 * out may have been renewed by one of them. Reaping it would re-run a job that is running, or done: a
 * second attempt writing a second result set (PostgresRestartDrillTest: after a 75 s outage with a lease of
 * 20 s, a job that succeeded during it, and one that sampled through it, each ran twice).
 *
 * <p>Nor does it expire a lease before the worker-event consumer has applied every event written before the
 * lease ran out ({@link WorkerEventWatermark}): a lease is judged by what the workers sent, not by how far
 * the scheduler has read. Judged by the clock alone, a backlog of worker events as long as a lease had it
 * give up attempts whose workers had taken them and already succeeded, and each re-dispatch added to the
 * backlog (KafkaOutageDrillTest, 500 submissions after a broker outage: 141 of 520 jobs ran 2 to 5 times,
 * each attempt "expired before any worker took it" 21 s after its dispatch, its worker's events 13-18 s
 * behind in the consumer). Without a backlog this costs a round or two: a dead worker's jobs come back
 * that much later.
 */
@ApplicationScoped
public class LeaseReaper {

    private static final int BATCH = 100;
    private static final String SOURCE = "scheduler";
    private static final Logger LOG = Logger.getLogger(LeaseReaper.class);

    private final JobRepository jobs;
    private final JobLifecycle lifecycle;
    private final TransitionRecorder recorder;
    private final OutboxRelay relay;
    private final SchedulerMetrics metrics;
    private final Clock clock;
    private final DispatchNudge nudge;
    private final ConsumerRetry consumers;
    private final WorkerEventWatermark watermark;
    private final Duration lease;
    private final AtomicBoolean paused = new AtomicBoolean();
    private final AtomicBoolean backlogged = new AtomicBoolean();
    private final OutageLog outage = new OutageLog(LOG, "the lease reaper");

    public LeaseReaper(JobRepository jobs, JobLifecycle lifecycle, TransitionRecorder recorder, OutboxRelay relay,
            SchedulerMetrics metrics, Clock clock, DispatchNudge nudge, ConsumerRetry consumers, WorkerEventWatermark watermark,
            SchedulerConfig config) {
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.recorder = recorder;
        this.relay = relay;
        this.metrics = metrics;
        this.clock = clock;
        this.nudge = nudge;
        this.consumers = consumers;
        this.watermark = watermark;
        this.lease = config.lease().duration();
    }

    /** A failure (the database away) is logged once per outage, never passed on: the next round retries. */
    @Scheduled(every = "${scheduler.lease.reaper-period}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "lease-reaper")
    public Uni<Void> reapExpired() {
        if (workerEventsBehind()) {
            return Uni.createFrom().voidItem();
        }
        Optional<Instant> applied = watermark.appliedUpTo();
        if (applied.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Instant now = clock.instant();
        Instant expiredBefore = applied.get().isBefore(now) ? applied.get() : now;
        logBacklog(now, expiredBefore);
        return Panache.withTransaction(() -> jobs.expiredLeases(expiredBefore, BATCH).chain(expired -> expire(expired, now)))
                .invoke(relay::after)
                .invoke(nudge::after)
                .invoke(outage::succeeded)
                .onFailure().invoke(outage::failed)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Expires the locked jobs' leases and stores what that means, the log lines and messages of all of them together. */
    private Uni<Publication> expire(List<JobEntity> expired, Instant now) {
        if (expired.isEmpty()) {
            return Uni.createFrom().item(Publication.empty());
        }
        Transitions transitions = new Transitions();
        for (JobEntity job : expired) {
            Outcome outcome = lifecycle.expireLease(job, now);
            if (outcome.changedStatus()) {
                metrics.leaseExpired(job.kind);
            }
            recorder.add(transitions, job, outcome, SOURCE, now);
        }
        return recorder.store(transitions);
    }

    /** True while the worker-event consumer waits out an outage and for one lease after; logged when it starts and ends. */
    private boolean workerEventsBehind() {
        boolean behind = consumers.waitingOrRecovering(Channels.JOB_EVENTS, lease);
        if (paused.compareAndSet(!behind, behind)) {
            if (behind) {
                LOG.warnf("lease reaping paused: the worker events are waiting out an outage (resumes %d s after it)",
                        lease.toSeconds());
            } else {
                LOG.info("lease reaping resumed: the worker events of the outage are handled");
            }
        }
        return behind;
    }

    /** Logs when the worker events applied fall more than a lease behind the clock, and when they catch up. */
    private void logBacklog(Instant now, Instant expiredBefore) {
        Duration behind = Duration.between(expiredBefore, now);
        boolean far = behind.compareTo(lease) > 0;
        if (backlogged.compareAndSet(!far, far)) {
            if (far) {
                LOG.warnf("lease reaping held back: worker events applied only up to %d s ago (lease %d s); leases "
                        + "that ran out since wait until their events are read", behind.toSeconds(), lease.toSeconds());
            } else {
                LOG.info("lease reaping caught up: the worker events are applied to within a lease");
            }
        }
    }
}
