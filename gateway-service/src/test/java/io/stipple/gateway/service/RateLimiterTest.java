package io.stipple.gateway.service;

import io.stipple.gateway.service.rejection.RateLimitedException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RateLimiterTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-21T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aBurstIsAllowedThenRequestsWaitForTheRefill() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = new RateLimiter(60, 3, clock); // one token per second, burst 3
        for (int i = 0; i < 3; i++) {
            assertDoesNotThrow(() -> limiter.acquire("a"));
        }
        RateLimitedException refused = assertThrows(RateLimitedException.class, () -> limiter.acquire("a"));
        assertEquals(1L, refused.retryAfterSeconds());
        assertDoesNotThrow(() -> limiter.acquire("b"), "tenants have separate buckets");

        clock.now = clock.now.plus(Duration.ofMillis(1100));
        assertDoesNotThrow(() -> limiter.acquire("a"));
        assertThrows(RateLimitedException.class, () -> limiter.acquire("a"));
    }
}
