package io.stipple.worker.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.worker.config.WorkerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Holds taken jobs and runs them on {@code concurrency} sampling threads, off the Kafka poll
 * loop: the consumer acknowledges a work item as soon as it is handed here, and the scheduler's
 * lease (kept alive by this class's heartbeats for every held job, queued or running) is what
 * recovers a job whose worker dies. A duplicate delivery of a held attempt is ignored.
 */
@ApplicationScoped
public class JobExecutor {

    private static final Logger LOG = Logger.getLogger(JobExecutor.class);

    private final GenerationJobRunner runner;
    private final JobReporter reporter;
    private final Map<String, HeldJob> held = new ConcurrentHashMap<>();
    private final ExecutorService sampling;
    private final ScheduledExecutorService heartbeats;

    JobExecutor(GenerationJobRunner runner, JobReporter reporter, WorkerConfig config, MeterRegistry registry) {
        this.runner = runner;
        this.reporter = reporter;
        this.sampling = Executors.newFixedThreadPool(config.concurrency(), named("stipple-sampling"));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(named("stipple-heartbeat"));
        long period = config.heartbeatCheckPeriod().toMillis();
        heartbeats.scheduleAtFixedRate(this::heartbeatDue, period, period, TimeUnit.MILLISECONDS);
        registry.gaugeMapSize("stipple_worker_held_jobs", List.of(), held);
    }

    /** Takes the work item; returns at once. */
    public void accept(GenerationWorkItem item) {
        HeldJob job = new HeldJob(item, System.nanoTime());
        if (held.putIfAbsent(key(item.jobId(), item.attempt()), job) != null) {
            LOG.infof("job %s attempt %d is already held; duplicate delivery ignored", item.jobId(), item.attempt());
            return;
        }
        sampling.execute(() -> {
            try {
                runner.run(job);
            } finally {
                held.remove(key(item.jobId(), item.attempt()));
            }
        });
    }

    /** Marks a held attempt canceled; its runner stops at the next step. */
    public void cancel(UUID jobId, int attempt, String reason) {
        Optional.ofNullable(held.get(key(jobId, attempt))).ifPresent(job -> job.cancel(reason));
    }

    private void heartbeatDue() {
        long now = System.nanoTime();
        for (HeldJob job : held.values()) {
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

    private static String key(UUID jobId, int attempt) {
        return jobId + "#" + attempt;
    }

    private static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }

    @PreDestroy
    void shutdown() {
        heartbeats.shutdownNow();
        sampling.shutdownNow();
    }
}
