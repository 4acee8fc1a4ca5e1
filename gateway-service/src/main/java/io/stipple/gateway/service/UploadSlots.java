package io.stipple.gateway.service;

import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.service.rejection.BusyException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds how many uploads are checked and stored at once ({@code stipple.gateway.uploads.max-concurrent}), so
 * that a burst of large uploads cannot take the heap: each holds a decoded image and an object-store part.
 * An upload waits up to {@code uploads.slot-wait} for a slot, then is refused with 503 and Retry-After.
 * Per replica, in memory, like the request-rate limit.
 */
@ApplicationScoped
public class UploadSlots {

    private final int size;
    private final Semaphore slots;
    private final Duration wait;

    @Inject
    public UploadSlots(GatewayConfig config) {
        this(config.uploads().maxConcurrent(), config.uploads().slotWait());
    }

    UploadSlots(int size, Duration wait) {
        this.size = size;
        this.slots = new Semaphore(size, true);
        this.wait = wait;
    }

    /** Runs {@code work} holding a slot; a blocking call, for worker threads. */
    public <T> T withSlot(Supplier<T> work) {
        boolean acquired;
        try {
            acquired = slots.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new BusyException("the gateway is checking and storing its most uploads at once (" + size
                    + "); send this one again shortly", Math.max(1, wait.toSeconds()));
        }
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }
}
