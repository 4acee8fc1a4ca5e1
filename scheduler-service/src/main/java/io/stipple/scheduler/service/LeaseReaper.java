package io.stipple.scheduler.service;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stipple.consumer.OutageLog;
import io.stipple.scheduler.domain.JobLifecycle;
import io.stipple.scheduler.domain.Outcome;
import io.stipple.scheduler.messaging.OutboxRelay;
import io.stipple.scheduler.messaging.Publication;
import io.stipple.scheduler.metrics.SchedulerMetrics;
import io.stipple.scheduler.repository.JobRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Gives up attempts whose worker went silent: every lease that ran out re-queues its job (attempt + 1
 * at the next dispatch), or fails it and dead-letters its work item once attempts are spent. Its messages
 * go through the outbox like every other change's, so a final state reaches the gateway even when the
 * broker is away at that moment.
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
    private final OutageLog outage = new OutageLog(LOG, "the lease reaper");

    public LeaseReaper(JobRepository jobs, JobLifecycle lifecycle, TransitionRecorder recorder, OutboxRelay relay,
            SchedulerMetrics metrics, Clock clock, DispatchNudge nudge) {
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.recorder = recorder;
        this.relay = relay;
        this.metrics = metrics;
        this.clock = clock;
        this.nudge = nudge;
    }

    /** A failure (the database away) is logged once per outage, never passed on: the next round retries. */
    @Scheduled(every = "${scheduler.lease.reaper-period}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "lease-reaper")
    public Uni<Void> reapExpired() {
        Instant now = clock.instant();
        Publication publication = Publication.empty();
        return Panache.withTransaction(() -> jobs.expiredLeases(now, BATCH).flatMap(expired -> Multi.createFrom()
                        .iterable(expired)
                        .onItem().transformToUniAndConcatenate(job -> {
                            Outcome outcome = lifecycle.expireLease(job, now);
                            if (outcome.changedStatus()) {
                                metrics.leaseExpired(job.kind);
                            }
                            return recorder.record(job, outcome, SOURCE, now);
                        })
                        .onItem().invoke(publication::addAll)
                        .collect().last()))
                .invoke(() -> relay.after(publication))
                .call(() -> nudge.after(publication))
                .invoke(outage::succeeded)
                .onFailure().invoke(outage::failed)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
