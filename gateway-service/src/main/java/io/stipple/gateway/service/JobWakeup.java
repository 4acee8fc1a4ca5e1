package io.stipple.gateway.service;

import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What one event stream waits on between two reads of its job's log: {@link #arm()} before each read, then
 * {@link #await} completes as soon as an event of the job that the read did not return was announced after that
 * arming, or after the stream's safety-net interval. Arming before the read is what makes a wake-up impossible to
 * miss: an event committed before the arming is in the read's result, one committed after is announced after it.
 *
 * <p>An event is announced twice in the replica whose projection wrote it (at once in-process, and by its
 * notification) and the read often runs between the two; a wake-up for an event at or below the position the read
 * reached is therefore not one: waking for it would only read nothing again. Ids come from one sequence, so a
 * stream never reads below its position anyway ({@code eventsAfter}).
 */
public final class JobWakeup implements AutoCloseable {

    private final Consumer<JobWakeup> onClose;
    /** The highest event id announced since the last {@link #arm()}; guarded by this. */
    private long announced;
    /** The position of the stream's read while it awaits, for wake-ups that come during the wait; guarded by this. */
    private long readUpTo = Long.MAX_VALUE;
    /** The wait under way, if any; guarded by this. */
    private CompletableFuture<Void> waiting = new CompletableFuture<>();

    JobWakeup(Consumer<JobWakeup> onClose) {
        this.onClose = onClose;
    }

    /** An event of the job committed ({@code JobEventListener#UNKNOWN_EVENT} when its id is not known). */
    synchronized void wake(long eventId) {
        announced = Math.max(announced, eventId);
        if (eventId > readUpTo) {
            waiting.complete(null);
        }
    }

    /** Before a read: only announcements from now on count for the next {@link #await}. */
    public synchronized void arm() {
        announced = 0;
        readUpTo = Long.MAX_VALUE;
    }

    /**
     * Completes when an event above {@code readUpTo} (the last id the read returned, or the position it started from)
     * was announced since the last {@link #arm()}, or after {@code atMost}.
     */
    public Uni<Void> await(long readUpTo, Duration atMost) {
        CompletableFuture<Void> wait;
        synchronized (this) {
            if (announced > readUpTo) {
                return Uni.createFrom().voidItem();
            }
            this.readUpTo = readUpTo;
            waiting = new CompletableFuture<>();
            wait = waiting;
        }
        return Uni.createFrom().completionStage(wait)
                .ifNoItem().after(atMost).recoverWithUni(() -> Uni.createFrom().voidItem());
    }

    /** The stream ended: no more wake-ups. */
    @Override
    public void close() {
        onClose.accept(this);
    }
}
