package io.stipple.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.stipple.stack.test.LogCapture;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

class ConsumerRetryTest {

    private final ConsumerRetry retry = new ConsumerRetry(Duration.ofMillis(1), Duration.ofMillis(5));

    /**
     * Many more failures than a bounded retry would allow: a long outage still ends in the record being
     * handled, and the log says so twice, not once per retry.
     */
    @Test
    void keepsRetryingUntilHandlingSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        try (LogCapture log = LogCapture.of(ConsumerRetry.class)) {
            retry.untilHandled("events", () -> calls.incrementAndGet() <= 40
                            ? Uni.createFrom().failure(new IllegalStateException("database unavailable"))
                            : Uni.createFrom().voidItem())
                    .await().atMost(Duration.ofSeconds(60));

            assertEquals(41, calls.get());
            log.onlyLine(Level.WARNING, "handling records of events failed and will retry until it succeeds (logged again on "
                    + "recovery): java.lang.IllegalStateException: database unavailable");
            log.onlyLine(Level.INFO, "handling records of events works again after 40 failed tries");
        }
    }

    @Test
    void aChannelIsWaitingWhileARecordIsRetriedAndRecoveringForTheGraceAfter() {
        AtomicInteger calls = new AtomicInteger();
        boolean[] waitingDuringRetry = new boolean[1];
        retry.untilHandled("events", () -> {
            if (calls.incrementAndGet() == 3) {
                waitingDuringRetry[0] = retry.waitingOrRecovering("events", Duration.ZERO);
                return Uni.createFrom().voidItem();
            }
            return Uni.createFrom().failure(new IllegalStateException("database unavailable"));
        }).await().atMost(Duration.ofSeconds(10));

        assertTrue(waitingDuringRetry[0], "waiting while retried");
        assertTrue(retry.waitingOrRecovering("events", Duration.ofMinutes(1)), "recovering within the grace");
        assertFalse(retry.waitingOrRecovering("events", Duration.ZERO), "not after it");
        assertFalse(retry.waitingOrRecovering("requests", Duration.ofMinutes(1)), "other channels never waited");
    }

    @Test
    void aRecordHandledAtOnceIsNoWait() {
        retry.untilHandled("status", () -> Uni.createFrom().item("done")).await().atMost(Duration.ofSeconds(10));
        assertFalse(retry.waitingOrRecovering("status", Duration.ofMinutes(1)));
    }
}
