package io.stipple.consumer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The backoff jobs and webhook notifications share (the webhook sender's used to be a copy without jitter). */
class RetryBackoffTest {

    private final RetryBackoff backoff = new RetryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(1), new SplittableRandom(7));

    @Test
    void doublesAfterEachFailureUpToTheCapKeepingARandomUpperHalf() {
        assertBetween(Duration.ofMillis(500), Duration.ofSeconds(1), backoff.after(1));
        assertBetween(Duration.ofSeconds(1), Duration.ofSeconds(2), backoff.after(2));
        assertBetween(Duration.ofSeconds(16), Duration.ofSeconds(32), backoff.after(6));
        assertBetween(Duration.ofSeconds(30), Duration.ofMinutes(1), backoff.after(7));
        assertBetween(Duration.ofSeconds(30), Duration.ofMinutes(1), backoff.after(1000));
    }

    @Test
    void waitsSpreadOut() {
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            seen.add(backoff.after(3));
        }
        assertTrue(seen.size() > 50, "distinct waits of 100: " + seen.size());
    }

    @Test
    void failuresCountFromOne() {
        assertThrows(IllegalArgumentException.class, () -> backoff.after(0));
    }

    private static void assertBetween(Duration low, Duration high, Duration actual) {
        assertTrue(actual.compareTo(low) >= 0 && actual.compareTo(high) <= 0, low + " <= " + actual + " <= " + high);
    }
}
