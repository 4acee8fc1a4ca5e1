package io.stipple.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class OutboxBacklogTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final Instant now = Instant.parse("2026-12-07T02:00:00Z");
    private final MovingClock clock = new MovingClock(now);
    private final OutboxBacklog backlog = new OutboxBacklog(registry, "test.outbox.pending", "test.outbox.oldest.age", clock);

    /** A clock the test moves on. */
    private static final class MovingClock extends Clock {
        private Instant instant;

        MovingClock(Instant start) {
            instant = start;
        }

        void advance(Duration by) {
            instant = instant.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return instant;
        }
    }

    @Test
    void theOldestRowsAgeGrowsBetweenCountsAndIsZeroWhenTheOutboxIsEmpty() {
        assertEquals(0.0, gauge("test.outbox.pending"));
        assertEquals(0.0, gauge("test.outbox.oldest.age"));

        backlog.counted(3, now.minus(Duration.ofSeconds(90)));
        assertEquals(3.0, gauge("test.outbox.pending"));
        assertEquals(90.0, gauge("test.outbox.oldest.age"));
        clock.advance(Duration.ofMillis(30_500));
        assertEquals(120.5, gauge("test.outbox.oldest.age"), "scraped later, before the next count");

        backlog.counted(0, null);
        assertEquals(0.0, gauge("test.outbox.pending"));
        assertEquals(0.0, gauge("test.outbox.oldest.age"));
    }

    @Test
    void theAgeGaugeIsInSeconds() {
        assertEquals("seconds", registry.get("test.outbox.oldest.age").gauge().getId().getBaseUnit());
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}
