package io.stipple.gateway.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.repository.OutboxRepository;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the outbox bounded and observable: deletes rows sent longer ago than
 * {@code outbox.retention} (in batches), and keeps the gauge {@code stipple.gateway.outbox.pending}
 * (rows not yet published; it grows while Kafka is away and should fall back to zero after).
 */
@ApplicationScoped
public class OutboxMaintenance {

    /** Gauge name, shared with the tests and dashboards. */
    public static final String PENDING_GAUGE = "stipple.gateway.outbox.pending";

    private static final Logger LOG = Logger.getLogger(OutboxMaintenance.class);

    private final OutboxRepository outbox;
    private final GatewayConfig.Outbox config;
    private final Clock clock;
    private final AtomicLong pending = new AtomicLong();

    public OutboxMaintenance(OutboxRepository outbox, GatewayConfig config, Clock clock, MeterRegistry registry) {
        this.outbox = outbox;
        this.config = config.outbox();
        this.clock = clock;
        registry.gauge(PENDING_GAUGE, pending);
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
                    if (deleted > 0) {
                        LOG.infof("deleted %d outbox rows sent before the retention of %s", deleted, config.retention());
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("outbox cleanup failed, next round retries: %s", e.toString()))
                .onFailure().recoverWithItem(0);
    }

    private Uni<Integer> deleteFrom(java.time.Instant sentBefore, int deletedSoFar) {
        return outbox.deleteSentBefore(sentBefore, config.cleanupBatchSize()).chain(deleted ->
                deleted < config.cleanupBatchSize()
                        ? Uni.createFrom().item(deletedSoFar + deleted)
                        : deleteFrom(sentBefore, deletedSoFar + deleted));
    }

    /** Recounts the unsent rows for the gauge; returns the count. */
    public Uni<Long> refreshPending() {
        return outbox.countUnsent()
                .invoke(pending::set)
                .onFailure().invoke(e -> LOG.debugf("counting unsent outbox rows failed: %s", e.toString()))
                .onFailure().recoverWithItem(pending::get);
    }
}
