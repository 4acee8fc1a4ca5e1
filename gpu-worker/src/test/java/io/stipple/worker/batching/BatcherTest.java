package io.stipple.worker.batching;

import io.stipple.contracts.spec.ModelRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The batch window's rules without a worker. The timeouts only stop a hung test: a batch that waited
 * out its window here would wait an hour.
 */
class BatcherTest {

    private static final BatchKey SAME = BatchKey.shared(ModelRef.parse("tiny@1"), "base", null);
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    @Timeout(120)
    void aLoneJobStartsAtOnceWhenNoDeliveryIsUnderWay() throws InterruptedException {
        Batcher<String> batcher = new Batcher<>(job -> SAME, job -> 1, 8, HOUR);
        batcher.add("lone");
        assertEquals(List.of("lone"), batcher.take());
    }

    @Test
    @Timeout(120)
    void jobsAlreadyWaitingShareABatch() throws InterruptedException {
        Batcher<String> batcher = new Batcher<>(job -> SAME, job -> 1, 8, HOUR);
        batcher.add("first");
        batcher.add("second");
        batcher.add("third");
        assertEquals(List.of("first", "second", "third"), batcher.take());
    }

    @Test
    @Timeout(120)
    void aBatchWaitsForTheRestOfItsDeliveryHoweverLongItTakes() throws Exception {
        Batcher<String> batcher = new Batcher<>(job -> SAME, job -> 1, 8, HOUR);
        Batcher<String>.Delivery delivery = batcher.delivery();
        batcher.add("first");
        CompletableFuture<List<String>> taken = new CompletableFuture<>();
        Thread taker = new Thread(() -> {
            try {
                taken.complete(batcher.take());
            } catch (Throwable e) {
                taken.completeExceptionally(e);
            }
        });
        taker.start();
        // Waiting in the window (a timed wait), or already gone with the first job alone.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> taken.isDone() || taker.getState() == Thread.State.TIMED_WAITING);
        assertFalse(taken.isDone(), "started before its delivery was queued: " + taken.getNow(null));
        batcher.add("second");
        batcher.add("third");
        delivery.close();
        assertEquals(List.of("first", "second", "third"), taken.get(60, TimeUnit.SECONDS));
    }

    @Test
    @Timeout(120)
    void aFullBatchStartsAtOnceDuringADelivery() throws InterruptedException {
        Batcher<String> batcher = new Batcher<>(job -> SAME, job -> 1, 2, HOUR);
        batcher.delivery();
        batcher.add("first");
        batcher.add("second");
        batcher.add("third");
        assertEquals(List.of("first", "second"), batcher.take());
    }

    @Test
    @Timeout(120)
    void theWindowBoundsTheWaitForADeliveryThatStalls() throws InterruptedException {
        Batcher<String> batcher = new Batcher<>(job -> SAME, job -> 1, 8, Duration.ZERO);
        batcher.delivery();
        batcher.add("first");
        assertEquals(List.of("first"), batcher.take());
    }

    @Test
    @Timeout(120)
    void aDeliveryClosedTwiceHoldsNoLaterJob() throws InterruptedException {
        Batcher<String> batcher = new Batcher<>(job -> SAME, job -> 1, 8, HOUR);
        Batcher<String>.Delivery delivery = batcher.delivery();
        delivery.close();
        delivery.close();
        batcher.add("lone");
        assertEquals(List.of("lone"), batcher.take());
    }
}
