package io.stipple.scheduler.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookBackoffTest {

    private final WebhookBackoff backoff = new WebhookBackoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

    @Test
    void doublesAfterEachFailureUpToTheCap() {
        assertEquals(Duration.ofSeconds(1), backoff.after(1));
        assertEquals(Duration.ofSeconds(2), backoff.after(2));
        assertEquals(Duration.ofSeconds(32), backoff.after(6));
        assertEquals(Duration.ofMinutes(1), backoff.after(7));
        assertEquals(Duration.ofMinutes(1), backoff.after(1000), "no overflow on long outages");
    }

    @Test
    void jitterStaysInTheUpperHalfOfTheWait() {
        java.util.Random random = new java.util.Random(7);
        java.util.Set<Duration> seen = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            Duration wait = backoff.jitteredAfter(3, random);
            assertTrue(wait.compareTo(Duration.ofSeconds(2)) >= 0 && wait.compareTo(Duration.ofSeconds(4)) < 0, wait.toString());
            seen.add(wait);
        }
        assertTrue(seen.size() > 50, "waits spread out: " + seen.size() + " distinct of 100");
    }

    @Test
    void attemptsCountFromOne() {
        assertThrows(IllegalArgumentException.class, () -> backoff.after(0));
    }
}
