package io.stipple.consumer;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Writes items one statement at a time, each taking everything added while the one before ran: a burst of
 * items costs a few statements, and a lone item is written at once. The outbox senders mark or delete the rows
 * Kafka acknowledged this way, so that each acknowledgement does not cost a commit of its own.
 *
 * @param <T> what a statement writes (an outbox row's id)
 */
public final class GatheredWrites<T> {

    private final Function<List<T>, Uni<Void>> write;
    private final Queue<T> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();

    /**
     * @param write writes the items and completes when that ended; it handles its own failure (nothing here
     *              retries), and a failed write ends like a successful one
     */
    public GatheredWrites(Function<List<T>, Uni<Void>> write) {
        this.write = write;
    }

    /** Writes the item with the next statement; returns at once. */
    public void add(T item) {
        pending.add(item);
        writeIfIdle();
    }

    /** Starts a statement for everything pending unless one is running; whoever sets the flag takes the queue. */
    private void writeIfIdle() {
        if (pending.isEmpty() || !writing.compareAndSet(false, true)) {
            return;
        }
        List<T> items = new ArrayList<>();
        T item;
        while ((item = pending.poll()) != null) {
            items.add(item);
        }
        Uni.createFrom().deferred(() -> write.apply(items))
                .onItemOrFailure().invoke((ignored, failure) -> {
                    // Cleared before looking again: an item added meanwhile is either seen here or starts its own.
                    writing.set(false);
                    writeIfIdle();
                })
                .subscribe().with(done -> { }, failure -> { });
    }
}
