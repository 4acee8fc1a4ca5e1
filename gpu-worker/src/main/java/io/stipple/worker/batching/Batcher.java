package io.stipple.worker.batching;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Dynamic batching: a FIFO of waiting entries from which sampling threads take batches. A batch
 * starts with the oldest entry and gathers later entries with the same {@link BatchKey}, up to
 * {@code maxImages} images in all; it waits for more to join until the batch is full, the oldest entry
 * has waited {@code maxWait}, or no entry has arrived for {@code arrivalGap}, whichever comes first.
 * The gap is what spares a lone job the window: without it a job alone on an idle worker waited the
 * whole {@code maxWait} for companions that were not coming (100 ms of a job's fixed cost), while the
 * entries of a burst arrive within a gap of each other and still share a batch. An entry larger than
 * {@code maxImages} still runs, alone. Knows nothing about what an entry is beyond its key and size.
 */
public final class Batcher<E> {

    private final ToIntFunction<E> images;
    private final Function<E, BatchKey> keyOf;
    private final int maxImages;
    private final long maxWaitNanos;
    private final long arrivalGapNanos;
    private long lastArrivalNanos;
    private final LinkedList<Waiting<E>> queue = new LinkedList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    public Batcher(Function<E, BatchKey> keyOf, ToIntFunction<E> images, int maxImages,
            Duration maxWait, Duration arrivalGap) {
        if (maxImages < 1) {
            throw new IllegalArgumentException("max batch images must be >= 1, got " + maxImages);
        }
        this.keyOf = keyOf;
        this.images = images;
        this.maxImages = maxImages;
        this.maxWaitNanos = maxWait.toNanos();
        this.arrivalGapNanos = arrivalGap.toNanos();
    }

    public void add(E entry) {
        lock.lock();
        try {
            lastArrivalNanos = System.nanoTime();
            queue.addLast(new Waiting<>(entry, keyOf.apply(entry), images.applyAsInt(entry), lastArrivalNanos));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until a batch is ready; its entries are removed from the queue, oldest first. */
    public List<E> take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                while (queue.isEmpty()) {
                    changed.await();
                }
                Waiting<E> oldest = queue.getFirst();
                List<Waiting<E>> batch = gather(oldest);
                long waitLeft = Math.min(oldest.sinceNanos + maxWaitNanos, lastArrivalNanos + arrivalGapNanos)
                        - System.nanoTime();
                if (full(batch) || waitLeft <= 0) {
                    queue.removeAll(batch);
                    return batch.stream().map(Waiting::entry).toList();
                }
                changed.awaitNanos(waitLeft);
            }
        } finally {
            lock.unlock();
        }
    }

    public int waiting() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private List<Waiting<E>> gather(Waiting<E> oldest) {
        List<Waiting<E>> batch = new ArrayList<>();
        batch.add(oldest);
        int total = oldest.images;
        Iterator<Waiting<E>> it = queue.iterator();
        it.next();
        while (it.hasNext() && total < maxImages) {
            Waiting<E> next = it.next();
            if (next.key.equals(oldest.key) && total + next.images <= maxImages) {
                batch.add(next);
                total += next.images;
            }
        }
        return batch;
    }

    /** No other entry could join: the images are at the limit, or the key admits nobody else. */
    private boolean full(List<Waiting<E>> batch) {
        int total = batch.stream().mapToInt(Waiting::images).sum();
        return total >= maxImages || batch.get(0).key.alone() != null;
    }

    /** Identity, not value, equality: the queue removes exactly the entries it handed out. */
    private static final class Waiting<E> {
        final E entry;
        final BatchKey key;
        final int images;
        final long sinceNanos;

        Waiting(E entry, BatchKey key, int images, long sinceNanos) {
            this.entry = entry;
            this.key = key;
            this.images = images;
            this.sinceNanos = sinceNanos;
        }

        E entry() {
            return entry;
        }

        int images() {
            return images;
        }
    }
}
