package io.stipple.consumer;

import io.smallrye.mutiny.Uni;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Runs one task at a time in this process, and once more after a run for any request that came while
 * it ran. Requests during a run are not lost (the run in progress may have read its data before the
 * change behind the request committed) and not stacked up (one more run covers them all). The
 * scheduler's dispatcher and the gateway's outbox relay both run this way.
 */
public final class CoalescedRuns {

    private final Supplier<Uni<Void>> task;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();

    public CoalescedRuns(Supplier<Uni<Void>> task) {
        this.task = task;
    }

    /**
     * Runs the task now, or leaves it to the run in progress, which then runs again. Completes when this
     * caller's runs are done (at once if another caller's run takes the request); fails as the run did.
     */
    public Uni<Void> request() {
        requested.set(true);
        return Uni.createFrom().deferred(this::drain);
    }

    /**
     * Takes the run for work the caller does itself (the scheduler's dispatch inside a consumer's transaction), if
     * no run is in progress: true when taken. Requests that come meanwhile wait for {@link #release}, as they
     * would wait for a run to end.
     */
    public boolean tryHold() {
        return running.compareAndSet(false, true);
    }

    /**
     * Ends a hold taken with {@link #tryHold}: runs the task for the requests that came meanwhile; completes when
     * those runs are done. Subscribe to it, or those requests wait for the next one.
     */
    public Uni<Void> release() {
        return Uni.createFrom().deferred(() -> {
            running.set(false);
            return drain();
        });
    }

    /** Whether no run is in progress, held, or asked for: nothing this process started will run until the next request. */
    public boolean idle() {
        return !running.get() && !requested.get();
    }

    private Uni<Void> drain() {
        // Order matters: a requester sets the flag before trying to run, and a runner clears "running"
        // before looking at the flag again, so a request is either run by its caller or seen here.
        if (!requested.get() || !running.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        requested.set(false);
        return Uni.createFrom().deferred(task::get)
                .onTermination().invoke(() -> running.set(false))
                .onItemOrFailure().transformToUni((ignored, failure) -> failure == null
                        ? drain()
                        : drain().onItemOrFailure().transformToUni((again, ignoredToo) -> Uni.createFrom().<Void>failure(failure)));
    }
}
