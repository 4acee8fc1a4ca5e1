package io.stipple.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.stipple.contracts.work.LeasedWorkItem;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The attempts this process holds, from receipt to terminal event. A job is heartbeated at once
 * when it is taken (the scheduler's lease ran from dispatch, and the item may have waited in Kafka
 * for most of it) and then at its work item's interval whether it is queued or running, so the
 * lease stays alive however long it waits or samples; when this process dies the heartbeats stop
 * and the lease brings the job back. A cancel reaches a held job's flag, or is remembered for a
 * while when its work item has not arrived yet.
 *
 * <p>At most {@code capacity} attempts are held at once when they come through
 * {@link #holdWhenRoom}: further items wait for a release, unacknowledged, so a consumer that
 * awaits the returned stage stops taking work (back-pressure) while it keeps polling.
 */
@ApplicationScoped
public class HeldJobs {

    private static final Logger LOG = Logger.getLogger(HeldJobs.class);
    private static final int MAX_REMEMBERED_CANCELS = 10_000;

    private final JobReporter reporter;
    private final int capacity;
    private final long earlyCancelMemoryNanos;
    private final Deque<WaitingItem> waitingForRoom = new ArrayDeque<>();
    private final Map<String, HeldJob<?>> held = new ConcurrentHashMap<>();
    private final Map<String, EarlyCancel> earlyCancels = new LinkedHashMap<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Threads.named("stipple-heartbeat"));

    @Inject
    HeldJobs(JobReporter reporter, RuntimeConfig config, MeterRegistry registry) {
        this(reporter, config.maxHeldJobs(), config.heartbeatCheckPeriod(), config.earlyCancelMemory());
        registry.gaugeMapSize("stipple_jobs_held", List.of(), held);
        registry.gauge("stipple_jobs_waiting_for_room", waitingForRoom, waiting -> {
            synchronized (waiting) {
                return waiting.size();
            }
        });
    }

    public HeldJobs(JobReporter reporter, int capacity, Duration heartbeatCheckPeriod, Duration earlyCancelMemory) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.reporter = reporter;
        this.capacity = capacity;
        this.earlyCancelMemoryNanos = earlyCancelMemory.toNanos();
        long period = heartbeatCheckPeriod.toMillis();
        heartbeats.scheduleAtFixedRate(this::heartbeatDue, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes an attempt; empty when it is already held (a duplicate delivery, to be ignored) or its
     * lease ran out before it got here. A cancel that arrived before the item is applied at once, so
     * the job ends canceled unrun; otherwise the first heartbeat goes out now. Called where the item
     * was received, so the current trace is the item's (see {@link HeldJob#trace()}).
     */
    public <W extends LeasedWorkItem> Optional<HeldJob<W>> hold(W item) {
        Optional<HeldJob<W>> job = take(item, Context.current());
        job.ifPresent(this::announce);
        return job;
    }

    /**
     * The first heartbeat of a job taken by {@link #holdWhenRoom}: at once, unless a cancel that overtook its item
     * was applied (the job ends canceled unrun), or the job already reported its end or was released. Whoever holds
     * the job sends it right after handing the job on, so the job's start does not wait for it; the job's running
     * event, if it goes first, is news enough and takes the lower sequence.
     */
    public void announce(HeldJob<?> job) {
        if (!job.canceled() && held.get(job.key()) == job) {
            heartbeat(job);
        }
    }

    /** Holds the attempt as {@link #hold} does, but sends nothing: the caller {@link #announce}s it. */
    private <W extends LeasedWorkItem> Optional<HeldJob<W>> take(W item, Context receivedIn) {
        if (item.leaseExpiresAt() != null && item.leaseExpiresAt().isBefore(Instant.now())) {
            // A redelivery (its first receiver died before committing) or an item that waited for
            // room too long: the scheduler has re-dispatched it, or will, as a new attempt.
            LOG.infof("job %s attempt %d: its lease expired at %s before it was taken; skipped", item.jobId(),
                    item.attempt(), item.leaseExpiresAt());
            return Optional.empty();
        }
        HeldJob<W> job = new HeldJob<>(item, System.nanoTime(), receivedIn);
        if (held.putIfAbsent(job.key(), job) != null) {
            LOG.infof("job %s attempt %d is already held; duplicate delivery ignored", item.jobId(), item.attempt());
            return Optional.empty();
        }
        // benchmarks/e2e-hops.py reads this line: Kafka's delivery to this worker, apart from its queue.
        LOG.debugf("job %s attempt %d taken", item.jobId(), item.attempt());
        EarlyCancel early;
        synchronized (earlyCancels) {
            early = earlyCancels.remove(job.key());
        }
        if (early != null && System.nanoTime() - early.atNanos() < earlyCancelMemoryNanos) {
            job.cancel(early.reason());
        }
        return Optional.of(job);
    }

    /**
     * Takes the attempt as {@link #hold} does once fewer than {@code capacity} attempts are held (and every item
     * that came earlier has been): at once when there is room, else after releases. The stage completes on the
     * releasing thread. Its first heartbeat is the caller's to send, with {@link #announce}, once it has handed the
     * job on.
     */
    public <W extends LeasedWorkItem> CompletionStage<Optional<HeldJob<W>>> holdWhenRoom(W item) {
        CompletableFuture<Optional<HeldJob<W>>> taken = new CompletableFuture<>();
        // The item's trace is current here, not on the releasing thread that may take it later.
        Context receivedIn = Context.current();
        // Held under the lock (two receivers cannot both see the last free slot), completed outside it:
        // completing runs the caller's continuation, which must not run under this lock.
        WaitingItem take = () -> {
            Optional<HeldJob<W>> job = take(item, receivedIn);
            return () -> taken.complete(job);
        };
        Runnable complete;
        synchronized (waitingForRoom) {
            if (!waitingForRoom.isEmpty() || held.size() >= capacity) {
                waitingForRoom.addLast(take);
                return taken;
            }
            complete = take.hold();
        }
        complete.run();
        return taken;
    }

    /** Forgets an attempt after its terminal event; heartbeats for it stop, and a waiting item may be taken. */
    public void release(HeldJob<?> job) {
        if (held.remove(job.key(), job)) {
            takeWaiting();
        }
    }

    private void takeWaiting() {
        List<Runnable> completions = new ArrayList<>();
        synchronized (waitingForRoom) {
            while (!waitingForRoom.isEmpty() && held.size() < capacity) {
                completions.add(waitingForRoom.pollFirst().hold());
            }
        }
        completions.forEach(Runnable::run);
    }

    /** An item waiting for room: {@link #hold()} takes it (under the lock) and returns how to tell its receiver. */
    private interface WaitingItem {
        Runnable hold();
    }

    /** Marks a held attempt canceled, or remembers the cancel for an attempt not (yet) held. */
    public void cancel(UUID jobId, int attempt, String reason) {
        String key = key(jobId, attempt);
        HeldJob<?> job = held.get(key);
        if (job != null) {
            job.cancel(reason);
            return;
        }
        synchronized (earlyCancels) {
            earlyCancels.put(key, new EarlyCancel(reason, System.nanoTime()));
            var oldest = earlyCancels.entrySet().iterator();
            while (oldest.hasNext() && (earlyCancels.size() > MAX_REMEMBERED_CANCELS
                    || System.nanoTime() - oldest.next().getValue().atNanos() >= earlyCancelMemoryNanos)) {
                oldest.remove();
            }
        }
    }

    public int size() {
        return held.size();
    }

    private void heartbeatDue() {
        long now = System.nanoTime();
        for (HeldJob<?> job : held.values()) {
            try {
                long interval = TimeUnit.MILLISECONDS.toNanos(Math.max(1, job.item().heartbeatIntervalMs()));
                if (now - job.lastEventNanos() >= interval) {
                    heartbeat(job);
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "heartbeat check for job %s failed", job.item().jobId());
            }
        }
    }

    private void heartbeat(HeldJob<?> job) {
        try {
            reporter.heartbeat(job);
        } catch (RuntimeException e) {
            // The next round tries again; a lost heartbeat is not worth failing a receipt over.
            LOG.warnf(e, "heartbeat for job %s failed", job.item().jobId());
        }
    }

    static String key(UUID jobId, int attempt) {
        return jobId + "#" + attempt;
    }

    @PreDestroy
    public void close() {
        heartbeats.shutdownNow();
    }

    private record EarlyCancel(String reason, long atNanos) {
    }
}
