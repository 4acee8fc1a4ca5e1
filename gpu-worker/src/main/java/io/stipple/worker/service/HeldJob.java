package io.stipple.worker.service;

import io.stipple.contracts.work.GenerationWorkItem;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A work item this worker has taken (acknowledged on Kafka) and not yet finished: queued or
 * running. It owns the attempt's event sequence (1, 2, ...) and the cancel flag.
 */
public final class HeldJob {

    private final GenerationWorkItem item;
    private final AtomicLong sequence = new AtomicLong();
    private volatile String cancelReason;
    private volatile long lastEventNanos;
    private boolean finished;

    public HeldJob(GenerationWorkItem item, long nowNanos) {
        this.item = item;
        this.lastEventNanos = nowNanos;
    }

    public GenerationWorkItem item() {
        return item;
    }

    /** The next event's sequence number; call under this object's lock together with the send. */
    long nextSequence(long nowNanos) {
        lastEventNanos = nowNanos;
        return sequence.incrementAndGet();
    }

    /** After the terminal event nothing more is sent for this attempt (not even a late heartbeat). */
    boolean finished() {
        return finished;
    }

    void finish() {
        finished = true;
    }

    long lastEventNanos() {
        return lastEventNanos;
    }

    public void cancel(String reason) {
        cancelReason = reason == null ? "canceled" : reason;
    }

    public boolean canceled() {
        return cancelReason != null;
    }

    public String cancelReason() {
        return cancelReason;
    }
}
