package io.stipple.gateway.webhook;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.stipple.stack.test.LogCapture;
import io.stipple.stack.test.StippleStackResource;
import io.stipple.stack.test.TestStack;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: the webhook sender's rounds (every second; the test runs more) with Postgres stopped.
 * Each round's failure used to reach Quarkus' scheduler, which logged an ERROR with a stack trace every
 * round for the whole outage. Now a round never fails, and the outage is two lines: a WARN when it starts
 * and one line with the count and duration when a round works again.
 */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class WebhookSenderOutageTest {

    private static final int ROUNDS_DURING_THE_OUTAGE = 5;
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    @Inject
    WebhookSender sender;

    @Test
    void aDatabaseOutageIsLoggedOnceWhenItStartsAndOnceWhenItEnds() {
        try (LogCapture log = LogCapture.of(WebhookSender.class)) {
            TestStack.stop(TestStack.Server.POSTGRES);
            try {
                for (int round = 0; round < ROUNDS_DURING_THE_OUTAGE; round++) {
                    runRound();
                }
            } finally {
                TestStack.start(TestStack.Server.POSTGRES);
            }
            await().atMost(PATIENCE).until(() -> {
                runRound();
                return !log.messages(Level.INFO).isEmpty();
            });

            log.onlyLine(Level.WARNING, "the webhook sender failed and will retry");
            String recovered = log.onlyLine(Level.INFO, "the webhook sender works again after ");
            int tries = Integer.parseInt(recovered.replaceAll(".* after (\\d+) failed tries.*", "$1"));
            assertTrue(tries >= ROUNDS_DURING_THE_OUTAGE, "the rounds of the outage are counted: " + recovered);
            assertTrue(log.messages(Level.SEVERE).isEmpty(), "no ERROR: " + log.messages(Level.SEVERE));
        }
    }

    /** One round, as the timer runs it; a round that passes its failure on fails the test. */
    private void runRound() {
        try {
            VertxContextSupport.subscribeAndAwait(() -> sender.sendDue());
        } catch (Throwable failure) {
            throw new AssertionError("a webhook round failed instead of logging the outage", failure);
        }
    }
}
