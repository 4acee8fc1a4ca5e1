package io.stipple.gateway.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.stipple.consumer.OutageLog;
import io.stipple.consumer.OutboxBacklog;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.repository.OutboxRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;

/**
 * Keeps the outbox bounded and observable: deletes rows sent longer ago than
 * {@code outbox.retention} (in batches), and keeps the gauges {@code stipple.gateway.outbox.pending}
 * (rows not yet published; it grows while Kafka is away and should fall back to zero after) and
 * {@code stipple.gateway.outbox.oldest.age} (seconds the oldest of them has waited).
 */
@ApplicationScoped
public class OutboxMaintenance {

    /** Gauge name, shared with the tests and dashboards. */
    public static final String PENDING_GAUGE = "stipple.gateway.outbox.pending";
    /** Seconds the oldest unpublished row has waited (Prometheus: {@code stipple_gateway_outbox_oldest_age_seconds}). */
    public static final String OLDEST_AGE_GAUGE = "stipple.gateway.outbox.oldest.age";

    private static final Logger LOG = Logger.getLogger(OutboxMaintenance.class);

    private final OutboxRepository outbox;
    private final GatewayConfig.Outbox config;
    private final Clock clock;
    private final OutboxBacklog backlog;
    /** The database away: one WARN when a cleanup first fails, one line when one works again. */
    private final OutageLog cleanupOutage = new OutageLog(LOG, "the outbox cleanup");

    public OutboxMaintenance(OutboxRepository outbox, GatewayConfig config, Clock clock, MeterRegistry registry) {
        this.outbox = outbox;
        this.config = config.outbox();
        this.clock = clock;
        this.backlog = new OutboxBacklog(registry, PENDING_GAUGE, OLDEST_AGE_GAUGE, clock);
    }

    @Scheduled(every = "${stipple.gateway.outbox.cleanup-interval:10m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> cleanupRound() {
        return deleteExpired().replaceWithVoid();
    }

    @Scheduled(every = "${stipple.gateway.outbox.pending-gauge-interval:15s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> gaugeRound() {
        return refreshPending().replaceWithVoid();
    }

    /** Deletes every sent row older than the retention, one batch after another; returns how many went. */
    public Uni<Integer> deleteExpired() {
        return deleteFrom(clock.instant().minus(config.retention()), 0)
                .invoke(deleted -> {
                    cleanupOutage.succeeded();
                    if (deleted > 0) {
                        LOG.infof("deleted %d outbox rows sent before the retention of %s", deleted, config.retention());
                    }
                })
                .onFailure().invoke(cleanupOutage::failed)
                .onFailure().recoverWithItem(0);
    }

    private Uni<Integer> deleteFrom(java.time.Instant sentBefore, int deletedSoFar) {
        return outbox.deleteSentBefore(sentBefore, config.cleanupBatchSize()).chain(deleted ->
                deleted < config.cleanupBatchSize()
                        ? Uni.createFrom().item(deletedSoFar + deleted)
                        : deleteFrom(sentBefore, deletedSoFar + deleted));
    }

    /**
     * Recounts the unsent rows for the gauges; returns the count. A failed count (the database away, which
     * the relay logs) leaves the last values.
     */
    public Uni<Long> refreshPending() {
        return outbox.unsent()
                .invoke(unsent -> backlog.counted(unsent.rows(), unsent.oldestCreatedAt()))
                .map(OutboxRepository.Unsent::rows)
                .onFailure().invoke(e -> LOG.debugf("counting unsent outbox rows failed: %s", e.toString()))
                .onFailure().recoverWithItem(backlog::pending);
    }
}
