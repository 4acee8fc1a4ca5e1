package io.stipple.scheduler.messaging;

import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TransientFailureRetryTest {

    /** Many more failures than a bounded retry allowed (8): a long outage still ends in the message being handled. */
    @Test
    void keepsRetryingUntilHandlingSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        Uni<Void> handling = Uni.createFrom().deferred(() -> calls.incrementAndGet() <= 40
                ? Uni.createFrom().failure(new IllegalStateException("database unavailable"))
                : Uni.createFrom().voidItem());

        new TransientFailureRetry(Duration.ofMillis(1), Duration.ofMillis(5)).retry(handling)
                .await().atMost(Duration.ofSeconds(60));

        assertEquals(41, calls.get());
    }
}
