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
 * {@code maxImages} images in all. A batch that is not full waits for more to join only while a
 * {@link #delivery()} is under way (the entries of one Kafka poll being handed over), and at most
 * until its oldest entry has waited {@code maxWait}; otherwise it starts at once with what is waiting.
 * So a lone job on an idle worker starts without waiting out any window (it waited the whole
 * {@code maxWait}, then a 5 ms arrival gap, for companions that were not coming), while the jobs that
 * one poll brought still share a batch. An entry larger than {@code maxImages} still runs, alone.
 * Knows nothing about what an entry is beyond its key and size.
 */
public final class Batcher<E> {

    private final ToIntFunction<E> images;
    private final Function<E, BatchKey> keyOf;
    private final int maxImages;
    private final long maxWaitNanos;
    private int deliveries;
    private final LinkedList<Waiting<E>> queue = new LinkedList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    public Batcher(Function<E, BatchKey> keyOf, ToIntFunction<E> images, int maxImages,
            Duration maxWait) {
        if (maxImages < 1) {
            throw new IllegalArgumentException("max batch images must be >= 1, got " + maxImages);
        }
        this.keyOf = keyOf;
        this.images = images;
        this.maxImages = maxImages;
        this.maxWaitNanos = maxWait.toNanos();
    }

    public void add(E entry) {
        lock.lock();
        try {
            queue.addLast(new Waiting<>(entry, keyOf.apply(entry), images.applyAsInt(entry), System.nanoTime()));
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
                long waitLeft = oldest.sinceNanos + maxWaitNanos - System.nanoTime();
                if (full(batch) || deliveries == 0 || waitLeft <= 0) {
                    queue.removeAll(batch);
                    return batch.stream().map(Waiting::entry).toList();
                }
                changed.awaitNanos(waitLeft);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Opens a delivery: until it is closed, a batch that is not full waits (up to {@code maxWait}) for
     * the entries still being added. Closing it twice counts once.
     */
    public Delivery delivery() {
        lock.lock();
        try {
            deliveries++;
        } finally {
            lock.unlock();
        }
        return new Delivery();
    }

    /** The entries of one delivery are added; {@link #take()} no longer waits for them. */
    public final class Delivery implements AutoCloseable {

        private boolean closed;

        private Delivery() {
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (!closed) {
                    closed = true;
                    deliveries--;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
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
