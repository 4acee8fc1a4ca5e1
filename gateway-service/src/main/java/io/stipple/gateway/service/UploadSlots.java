package io.stipple.gateway.service;

import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.service.rejection.BusyException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds how many uploads and model imports the gateway takes in at once
 * ({@code stipple.gateway.uploads.max-concurrent}): a slot is taken before the request's body is read and
 * given back when its response has ended, so whatever the number of clients, at most that many bodies are
 * being received, spooled, checked and stored, each with its own bounded buffers (one decoded image, one
 * object-store part). A request waits up to {@code uploads.slot-wait} for a slot, then is refused with 503
 * and Retry-After without its body being read. Per replica, in memory, like the request-rate limit.
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

    /** A slot held; {@link #close()} gives it back, once however often it is called. */
    public final class Slot implements AutoCloseable {

        private final AtomicBoolean held = new AtomicBoolean(true);

        private Slot() {
        }

        @Override
        public void close() {
            if (held.compareAndSet(true, false)) {
                slots.release();
            }
        }
    }

    /** Takes a slot, waiting up to the slot wait; a blocking call, for worker threads. */
    public Slot acquire() {
        boolean acquired;
        try {
            acquired = slots.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new BusyException("the gateway is taking in its most uploads and model imports at once (" + size
                    + "); send this one again shortly", Math.max(1, wait.toSeconds()));
        }
        return new Slot();
    }

    /** Slots free now (for tests and diagnostics). */
    public int available() {
        return slots.availablePermits();
    }
}
