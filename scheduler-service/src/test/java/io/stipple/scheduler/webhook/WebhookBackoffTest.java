package io.stipple.scheduler.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void attemptsCountFromOne() {
        assertThrows(IllegalArgumentException.class, () -> backoff.after(0));
    }
}
