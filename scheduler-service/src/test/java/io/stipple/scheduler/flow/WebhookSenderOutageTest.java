package io.stipple.scheduler.flow;

import static io.stipple.scheduler.fixtures.TestWorkerFixture.PATIENCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.stipple.scheduler.webhook.WebhookSender;
import io.stipple.stack.test.LogCapture;
import io.stipple.stack.test.StippleStackResource;
import io.stipple.stack.test.TestStack;
import jakarta.inject.Inject;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: the webhook sender's rounds (every second in production, 200 ms here) with Postgres stopped.
 * Each round's failure used to reach the Quarkus scheduler, which logged an ERROR with a stack trace every
 * round for the whole outage. Now a round never fails, and the outage is two lines: a WARN when it starts
 * and one line with the count and duration when a round works again.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class WebhookSenderOutageTest {

    private static final int ROUNDS_DURING_THE_OUTAGE = 5;

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
