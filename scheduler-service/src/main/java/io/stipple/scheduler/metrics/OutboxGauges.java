package io.stipple.scheduler.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.stipple.consumer.OutboxBacklog;
import io.stipple.scheduler.repository.OutboxRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * The outbox's backlog as gauges, like the gateway's: {@code stipple.scheduler.outbox.pending} (messages
 * committed and not yet acknowledged by Kafka; near 0 while the broker is up, growing while it is away) and
 * {@code stipple.scheduler.outbox.oldest.age} (seconds the oldest of them has waited), recounted every
 * {@code scheduler.publishing.backlog-gauge-period}.
 */
@ApplicationScoped
public class OutboxGauges {

    public static final String PENDING_GAUGE = "stipple.scheduler.outbox.pending";
    /** Prometheus: {@code stipple_scheduler_outbox_oldest_age_seconds}. */
    public static final String OLDEST_AGE_GAUGE = "stipple.scheduler.outbox.oldest.age";

    private static final Logger LOG = Logger.getLogger(OutboxGauges.class);

    private final OutboxRepository outbox;
    private final OutboxBacklog backlog;

    public OutboxGauges(OutboxRepository outbox, MeterRegistry registry, Clock clock) {
        this.outbox = outbox;
        this.backlog = new OutboxBacklog(registry, PENDING_GAUGE, OLDEST_AGE_GAUGE, clock);
    }

    @Scheduled(every = "${scheduler.publishing.backlog-gauge-period}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "outbox-gauges")
    Uni<Void> round() {
        return refresh().replaceWithVoid();
    }

    /**
     * Recounts; returns the pending count. A failed count (the database away, which the relay and the
     * other rounds log) leaves the last values.
     */
    public Uni<Long> refresh() {
        return Panache.withSession(outbox::unsent)
                .invoke(unsent -> backlog.counted(unsent.rows(), unsent.oldestCreatedAt()))
                .map(OutboxRepository.Unsent::rows)
                .onFailure().invoke(e -> LOG.debugf("counting the outbox failed: %s", e.toString()))
                .onFailure().recoverWithItem(backlog::pending);
    }
}
