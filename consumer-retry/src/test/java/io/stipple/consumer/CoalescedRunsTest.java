package io.stipple.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescedRunsTest {

    /** Each run waits until the test completes its future. */
    private final List<CompletableFuture<Void>> started = new ArrayList<>();
    private final CoalescedRuns runs = new CoalescedRuns(() -> Uni.createFrom().completionStage(() -> {
        CompletableFuture<Void> run = new CompletableFuture<>();
        started.add(run);
        return run;
    }));

    @Test
    void requestsDuringARunAreServedByOneMoreRun() {
        CompletableFuture<Void> first = runs.request().subscribeAsCompletionStage();
        assertEquals(1, started.size());

        CompletableFuture<Void> second = runs.request().subscribeAsCompletionStage();
        CompletableFuture<Void> third = runs.request().subscribeAsCompletionStage();
        assertTrue(second.isDone() && third.isDone(), "left to the run in progress");
        assertEquals(1, started.size(), "not run beside it");

        started.get(0).complete(null);
        assertEquals(2, started.size(), "one more run for both requests");
        assertTrue(!first.isDone(), "the first caller's chain includes the run again");
        started.get(1).complete(null);
        assertTrue(first.isDone());
        assertEquals(2, started.size());
    }

    @Test
    void aRequestAfterARunStartsANewOne() {
        AtomicInteger done = new AtomicInteger();
        runs.request().subscribe().with(ignored -> done.incrementAndGet());
        started.get(0).complete(null);
        runs.request().subscribe().with(ignored -> done.incrementAndGet());
        started.get(1).complete(null);
        assertEquals(2, started.size());
        assertEquals(2, done.get());
    }

    @Test
    void aFailedRunDoesNotBlockTheNext() {
        CompletableFuture<Void> first = runs.request().subscribeAsCompletionStage();
        started.get(0).completeExceptionally(new IllegalStateException("database away"));
        assertTrue(first.isCompletedExceptionally());
        runs.request().subscribeAsCompletionStage();
        assertEquals(2, started.size());
    }

    @Test
    void aHoldKeepsRequestsForItsRelease() {
        assertTrue(runs.tryHold());
        CompletableFuture<Void> during = runs.request().subscribeAsCompletionStage();
        assertTrue(during.isDone(), "left to the holder");
        assertEquals(0, started.size(), "not run beside the hold");
        assertTrue(!runs.tryHold(), "one hold or run at a time");

        CompletableFuture<Void> released = runs.release().subscribeAsCompletionStage();
        assertEquals(1, started.size(), "the request that came during the hold runs at its release");
        started.get(0).complete(null);
        assertTrue(released.isDone());
    }

    @Test
    void aHoldIsRefusedWhileARunIsInProgressAndAQuietReleaseRunsNothing() {
        runs.request().subscribeAsCompletionStage();
        assertTrue(!runs.tryHold());
        started.get(0).complete(null);

        assertTrue(runs.tryHold());
        runs.release().subscribeAsCompletionStage();
        assertEquals(1, started.size(), "no request came during the hold");
        runs.request().subscribeAsCompletionStage();
        assertEquals(2, started.size(), "released: a request runs at once");
    }

    @Test
    void idleOnlyWithNoRunInProgressHeldOrAskedFor() {
        assertTrue(runs.idle());
        CompletableFuture<Void> first = runs.request().subscribeAsCompletionStage();
        assertTrue(!runs.idle(), "a run in progress");
        runs.request().subscribeAsCompletionStage();
        started.get(0).complete(null);
        assertTrue(!runs.idle(), "the run asked for during the first");
        started.get(1).complete(null);
        assertTrue(first.isDone() && runs.idle());

        assertTrue(runs.tryHold());
        assertTrue(!runs.idle(), "held");
        runs.release().subscribeAsCompletionStage();
        assertTrue(runs.idle());
    }
}
