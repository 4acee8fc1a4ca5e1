package io.stipple.consumer;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Writes items one statement at a time, each taking everything added while the one before ran: a burst of
 * items costs a few statements, and a lone item is written at once. The outbox senders mark or delete the rows
 * Kafka acknowledged this way, so that each acknowledgement does not cost a commit of its own.
 *
 * <p>With a gathering pause ({@link #lingering}), a statement starts only once the pause after its first item has
 * ended, and takes everything added until then: at most one statement per pause however many items arrive, for
 * writes whose lateness costs nothing but whose commits compete with the ones a caller waits for.
 *
 * @param <T> what a statement writes (an outbox row's id)
 */
public final class GatheredWrites<T> {

    private final Function<List<T>, Uni<Void>> write;
    private final Supplier<Uni<Void>> gather;
    private final Queue<T> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();

    /**
     * @param write writes the items and completes when that ended; it handles its own failure (nothing here
     *              retries), and a failed write ends like a successful one
     */
    public GatheredWrites(Function<List<T>, Uni<Void>> write) {
        this(write, () -> null);
    }

    /**
     * @param write  as in {@link #GatheredWrites(Function)}
     * @param gather the pause before a statement takes what is pending, asked for each statement (null: none)
     */
    public GatheredWrites(Function<List<T>, Uni<Void>> write, Supplier<Uni<Void>> gather) {
        this.write = write;
        this.gather = gather;
    }

    /** Writes that gather for {@code linger} after their first item (zero: none, as {@link #GatheredWrites(Function)}). */
    public static <T> GatheredWrites<T> lingering(Function<List<T>, Uni<Void>> write, Duration linger) {
        return new GatheredWrites<>(write,
                () -> linger.isZero() ? null : Uni.createFrom().voidItem().onItem().delayIt().by(linger));
    }

    /** Writes the item with the next statement; returns at once. */
    public void add(T item) {
        pending.add(item);
        writeIfIdle();
    }

    /**
     * Takes everything pending now, for a statement of the caller's to write along with its own work (the caller
     * adds back what that statement failed to write). A statement gathering meanwhile writes what is left, if any.
     */
    public List<T> takeAll() {
        return drain();
    }

    /**
     * Starts a statement for everything pending unless one is running (or gathering); whoever sets the flag takes
     * the queue, after the pause if there is one.
     */
    private void writeIfIdle() {
        if (pending.isEmpty() || !writing.compareAndSet(false, true)) {
            return;
        }
        Uni<Void> pause = gather.get();
        if (pause == null) {
            writePending();
        } else {
            pause.subscribe().with(ignored -> writePending(), ignored -> writePending());
        }
    }

    private List<T> drain() {
        List<T> items = new ArrayList<>();
        T item;
        while ((item = pending.poll()) != null) {
            items.add(item);
        }
        return items;
    }

    private void writePending() {
        List<T> items = drain();
        Uni.createFrom().deferred(() -> items.isEmpty() ? Uni.createFrom().voidItem() : write.apply(items))
                .onItemOrFailure().invoke((ignored, failure) -> {
                    // Cleared before looking again: an item added meanwhile is either seen here or starts its own.
                    writing.set(false);
                    writeIfIdle();
                })
                .subscribe().with(done -> { }, failure -> { });
    }
}
