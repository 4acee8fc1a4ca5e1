package io.stipple.worker.batching;

import io.stipple.contracts.spec.ModelRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The batch window's rules without a worker. The timeouts only stop a hung test: a batch that waited
 * out its window here would wait an hour.
 */
class BatcherTest {

    private static final BatchKey SAME = BatchKey.shared(ModelRef.parse("tiny@1"), "base", null);
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    @Timeout(120)
    void aLoneJobStartsOnceNothingElseArrivesInsteadOfWaitingOutTheWindow() throws InterruptedException {
        Batcher<String> batcher = new Batcher<>(job -> SAME, job -> 1, 8, HOUR, Duration.ofMillis(5));
        batcher.add("lone");
        assertEquals(List.of("lone"), batcher.take());
    }

    @Test
    @Timeout(120)
    void jobsThatArrivedTogetherStillShareABatch() throws InterruptedException {
        Batcher<String> batcher = new Batcher<>(job -> SAME, job -> 1, 8, HOUR, Duration.ZERO);
        batcher.add("first");
        batcher.add("second");
        batcher.add("third");
        assertEquals(List.of("first", "second", "third"), batcher.take());
    }

    @Test
    @Timeout(120)
    void aFullBatchStartsAtOnceWhateverTheGap() throws InterruptedException {
        Batcher<String> batcher = new Batcher<>(job -> SAME, job -> 1, 2, HOUR, HOUR);
        batcher.add("first");
        batcher.add("second");
        batcher.add("third");
        assertEquals(List.of("first", "second"), batcher.take());
    }
}
