package io.stipple.runtime;

import io.opentelemetry.context.Context;
import io.stipple.contracts.work.LeasedWorkItem;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A work item this process has taken (acknowledged on Kafka) and not yet finished: queued or
 * running. It owns the attempt's event sequence (1, 2, ...) and the cancel flag, which the code
 * running the job checks between steps. It also keeps the trace the work item arrived in: the
 * job's events continue it, and the threads that run the job make it current for their log lines.
 */
public final class HeldJob<W extends LeasedWorkItem> {

    private final W item;
    private final long heldSinceNanos;
    private final Context trace;
    private final AtomicLong sequence = new AtomicLong();
    private volatile String cancelReason;
    private volatile long lastEventNanos;
    private volatile CompletionStage<Void> receipt = CompletableFuture.completedFuture(null);
    private boolean finished;

    HeldJob(W item, long nowNanos, Context trace) {
        this.item = item;
        this.heldSinceNanos = nowNanos;
        this.trace = trace;
        this.lastEventNanos = nowNanos;
    }

    public W item() {
        return item;
    }

    /**
     * The trace the work item arrived in (the root context when it came untraced). A thread working
     * on the job runs inside {@code trace().makeCurrent()}.
     */
    public Context trace() {
        return trace;
    }

    /** {@link System#nanoTime()} when this process took the item: queue wait is measured from here. */
    public long heldSinceNanos() {
        return heldSinceNanos;
    }

    /**
     * The commit of the work item as consumed ({@link ReceiptCommit}), set by {@link WorkItemReceiver}
     * before the job is started; already complete for a job held otherwise.
     */
    CompletionStage<Void> receipt() {
        return receipt;
    }

    void receipt(CompletionStage<Void> commit) {
        receipt = commit;
    }

    /** Asks the job to stop; whoever runs it notices at its next {@link #canceled()} check. */
    public void cancel(String reason) {
        cancelReason = reason == null ? "canceled" : reason;
    }

    public boolean canceled() {
        return cancelReason != null;
    }

    public String cancelReason() {
        return cancelReason;
    }

    /** The next event's sequence number; called under this object's lock together with the send. */
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

    String key() {
        return HeldJobs.key(item.jobId(), item.attempt());
    }
}
