package io.stipple.worker.batching;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Scope;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.runtime.HeldJobs;
import io.stipple.runtime.Threads;
import io.stipple.runtime.WorkItemReceiver;
import io.stipple.worker.config.WorkerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Where taken generation jobs go: held (heartbeats start), queued in the {@link Batcher}, and run
 * batch by batch by {@code concurrency} sampling threads, each looping take-batch / run-batch.
 * {@link #receive} completes as soon as the job is held, so the Kafka consumer acknowledges on
 * receipt, or later when the worker is full (back-pressure).
 */
@ApplicationScoped
public class SamplingThreads {

    private static final Logger LOG = Logger.getLogger(SamplingThreads.class);

    private final HeldJobs held;
    private final WorkItemReceiver<GenerationWorkItem> receiver;
    private final BatchRunner runner;
    private final Batcher<PendingJob> batcher;
    private final ExecutorService threads;

    SamplingThreads(HeldJobs held, BatchRunner runner, WorkerConfig config, MeterRegistry registry) {
        this.held = held;
        this.runner = runner;
        this.batcher = new Batcher<>(PendingJob::key, PendingJob::images, config.batching().maxImages(),
                config.batching().maxWait(), config.batching().arrivalGap());
        this.threads = Executors.newFixedThreadPool(config.concurrency(), Threads.named("stipple-sampling"));
        for (int i = 0; i < config.concurrency(); i++) {
            threads.execute(this::loop);
        }
        Gauge.builder("stipple.worker.queued", batcher, Batcher::waiting)
                .description("Held jobs waiting for a batch").register(registry);
        this.receiver = new WorkItemReceiver<>(GenerationWorkItem.class, held, job -> batcher.add(PendingJob.of(job)));
    }

    /**
     * Holds the work item and queues it for a batch once this worker holds fewer than its maximum of
     * jobs ({@code stipple.runtime.max-held-jobs}); the stage completes then (see
     * {@link WorkItemReceiver}: an unreadable item, a duplicate delivery of a held attempt, or an
     * item whose lease ran out before it was taken, is dropped).
     */
    public CompletionStage<Void> receive(Message<String> item) {
        return receiver.receive(item);
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            List<PendingJob> batch;
            try {
                batch = batcher.take();
            } catch (InterruptedException e) {
                return;
            }
            // The batch's shared work (model loading, sampling) logs in its oldest job's trace;
            // BatchRunner switches to each job's own trace for that job's lines and events.
            try (Scope ignored = batch.get(0).job().trace().makeCurrent()) {
                runner.run(batch);
            } catch (RuntimeException e) {
                LOG.errorf(e, "a batch of %d jobs ended abnormally", batch.size());
            } finally {
                batch.forEach(pending -> held.release(pending.job()));
            }
        }
    }

    @PreDestroy
    void shutdown() {
        threads.shutdownNow();
    }
}
