package io.stipple.gateway.service;

import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * What one event stream waits on between two reads of its job's log: {@link #arm()} before each read, then
 * {@link #await} completes as soon as an event of the job committed after that arming, or after the
 * stream's safety-net interval. Arming before the read is what makes a wake-up impossible to miss: an
 * event committed before the arming is in the read's result, one committed after completes the wait.
 */
public final class JobWakeup implements AutoCloseable {

    private final AtomicReference<CompletableFuture<Void>> armed = new AtomicReference<>(new CompletableFuture<>());
    private final Consumer<JobWakeup> onClose;

    JobWakeup(Consumer<JobWakeup> onClose) {
        this.onClose = onClose;
    }

    /** An event of the job committed: ends the current wait, or the next one if none is under way. */
    void wake() {
        armed.get().complete(null);
    }

    /** Before a read: only wake-ups from now on end the next {@link #await}. */
    public void arm() {
        armed.set(new CompletableFuture<>());
    }

    /** Completes when woken since the last {@link #arm()}, or after {@code atMost}. */
    public Uni<Void> await(Duration atMost) {
        return Uni.createFrom().completionStage(armed.get())
                .ifNoItem().after(atMost).recoverWithUni(() -> Uni.createFrom().voidItem());
    }

    /** The stream ended: no more wake-ups. */
    @Override
    public void close() {
        onClose.accept(this);
    }
}
