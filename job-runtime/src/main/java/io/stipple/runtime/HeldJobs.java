package io.stipple.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.stipple.contracts.work.LeasedWorkItem;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The attempts this process holds, from receipt to terminal event. While held, a job is
 * heartbeated at its work item's interval whether it is queued or running, so the scheduler's
 * lease stays alive however long it waits or samples; when this process dies the heartbeats stop
 * and the lease brings the job back. A cancel reaches a held job's flag, or is remembered for a
 * while when its work item has not arrived yet.
 */
@ApplicationScoped
public class HeldJobs {

    private static final Logger LOG = Logger.getLogger(HeldJobs.class);
    private static final int MAX_REMEMBERED_CANCELS = 10_000;

    private final JobReporter reporter;
    private final long earlyCancelMemoryNanos;
    private final Map<String, HeldJob<?>> held = new ConcurrentHashMap<>();
    private final Map<String, EarlyCancel> earlyCancels = new LinkedHashMap<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            Threads.named("stipple-heartbeat"));

    @Inject
    HeldJobs(JobReporter reporter, RuntimeConfig config, MeterRegistry registry) {
        this(reporter, config.heartbeatCheckPeriod(), config.earlyCancelMemory());
        registry.gaugeMapSize("stipple_jobs_held", List.of(), held);
    }

    public HeldJobs(JobReporter reporter, Duration heartbeatCheckPeriod, Duration earlyCancelMemory) {
        this.reporter = reporter;
        this.earlyCancelMemoryNanos = earlyCancelMemory.toNanos();
        long period = heartbeatCheckPeriod.toMillis();
        heartbeats.scheduleAtFixedRate(this::heartbeatDue, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes an attempt; empty when it is already held (a duplicate delivery, to be ignored). A
     * cancel that arrived before the item is applied at once, so the job ends canceled unrun.
     * Called where the item was received, so the current trace is the item's (see {@link HeldJob#trace()}).
     */
    public <W extends LeasedWorkItem> Optional<HeldJob<W>> hold(W item) {
        HeldJob<W> job = new HeldJob<>(item, System.nanoTime(), Context.current());
        if (held.putIfAbsent(job.key(), job) != null) {
            LOG.infof("job %s attempt %d is already held; duplicate delivery ignored", item.jobId(), item.attempt());
            return Optional.empty();
        }
        EarlyCancel early;
        synchronized (earlyCancels) {
            early = earlyCancels.remove(job.key());
        }
        if (early != null && System.nanoTime() - early.atNanos() < earlyCancelMemoryNanos) {
            job.cancel(early.reason());
        }
        return Optional.of(job);
    }

    /** Forgets an attempt after its terminal event; heartbeats for it stop. */
    public void release(HeldJob<?> job) {
        held.remove(job.key(), job);
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
                    reporter.heartbeat(job);
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "heartbeat for job %s failed", job.item().jobId());
            }
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
