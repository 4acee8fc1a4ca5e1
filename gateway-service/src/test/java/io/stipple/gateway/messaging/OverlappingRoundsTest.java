package io.stipple.gateway.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rounds overlap only while claims come back full, never more than the limit, and the run ends with the last lane. */
class OverlappingRoundsTest {

    /** Rounds the test completes by hand: each has claimed; the test says whether the claim was full and when it ends. */
    private final List<Pending> pending = new ArrayList<>();
    private final AtomicInteger started = new AtomicInteger();

    private record Pending(Runnable claimedFull, UniEmitter<? super Boolean> end) {
    }

    private final OverlappingRounds rounds = new OverlappingRounds(3, claimedFull -> Uni.createFrom().emitter(end -> {
        started.incrementAndGet();
        pending.add(new Pending(claimedFull, end));
    }));

    @Test
    void aLoneRoundRunsAloneAndEndsTheRun() {
        var done = rounds.run().subscribe().asCompletionStage();
        assertEquals(1, pending.size());
        pending.remove(0).end().complete(false); // claimed less than a batch
        assertTrue(done.isDone());
        assertEquals(1, started.get(), "nothing waits for a batch, and no second claim is made");
    }

    @Test
    void fullClaimsOpenLanesUpToTheLimitAndTheRunEndsWithTheLast() {
        var done = rounds.run().subscribe().asCompletionStage();
        pending.get(0).claimedFull().run(); // lane 2
        pending.get(1).claimedFull().run(); // lane 3
        pending.get(2).claimedFull().run(); // would be lane 4: the limit is 3
        assertEquals(3, pending.size(), "three rounds at once, no more");

        pending.remove(0).end().complete(true); // full and published: that lane goes on
        assertEquals(3, pending.size());
        pending.remove(0).end().complete(false);
        pending.remove(0).end().complete(false);
        assertFalse(done.isDone(), "one lane is still running");
        pending.get(0).claimedFull().run(); // a lane closed, so a full claim opens one again
        assertEquals(2, pending.size());
        pending.remove(0).end().complete(false);
        assertFalse(done.isDone());
        pending.remove(0).end().fail(new IllegalStateException("the database went away"));
        assertTrue(done.isDone());
        assertFalse(done.toCompletableFuture().isCompletedExceptionally(), "a round reports its own failure; the run just ends");
        assertEquals(5, started.get());
        done.toCompletableFuture().orTimeout(Duration.ofSeconds(1).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).join();
    }
}
