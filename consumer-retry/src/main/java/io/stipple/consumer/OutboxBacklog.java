package io.stipple.consumer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An outbox's backlog as two gauges: how many rows are not yet published, and how long the oldest of them
 * has waited (0 when none). The count says how much an outage has piled up; the age says how late the
 * messages are, and keeps growing while nothing leaves, however few they are. The owner recounts on a
 * timer ({@link #counted}); the age is computed when scraped, so it grows between counts too.
 */
public final class OutboxBacklog {

    private final Clock clock;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicReference<Instant> oldest = new AtomicReference<>();

    /**
     * Registers the gauges under the owner's names (full literals in the owner's sources, where the
     * dashboard's metric list is checked); the age gauge's unit is seconds.
     */
    public OutboxBacklog(MeterRegistry registry, String pendingGauge, String oldestAgeGauge, Clock clock) {
        this.clock = clock;
        Gauge.builder(pendingGauge, pending, AtomicLong::get)
                .description("Outbox rows not yet published to Kafka")
                .register(registry);
        Gauge.builder(oldestAgeGauge, this, OutboxBacklog::oldestAgeSeconds)
                .description("How long the oldest outbox row not yet published has waited")
                .baseUnit("seconds")
                .register(registry);
    }

    /** A fresh count: {@code oldestCreatedAt} is the oldest unpublished row's creation, null if there is none. */
    public void counted(long pendingRows, Instant oldestCreatedAt) {
        pending.set(pendingRows);
        oldest.set(pendingRows == 0 ? null : oldestCreatedAt);
    }

    public long pending() {
        return pending.get();
    }

    /** Seconds since the oldest unpublished row was written, as of now; 0 when the outbox was empty. */
    public double oldestAgeSeconds() {
        Instant since = oldest.get();
        return since == null ? 0 : Math.max(0, Duration.between(since, clock.instant()).toMillis() / 1000.0);
    }
}
