package io.stipple.worker.batching;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.runtime.HeldJob;
import io.stipple.runtime.HeldJobs;
import io.stipple.runtime.Threads;
import io.stipple.runtime.WorkItemReceiver;
import io.stipple.worker.config.WorkerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Where taken generation jobs go: held (heartbeats start), queued in the {@link Batcher}, and run
 * batch by batch by {@code concurrency} sampling threads, each looping take-batch / run-batch.
 * {@link #receive} takes one Kafka poll's items: each is acknowledged as soon as it is held, and the
 * stage completes when all are, or later when the worker is full (back-pressure).
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
                config.batching().maxWait());
        this.threads = Executors.newFixedThreadPool(config.concurrency(), Threads.named("stipple-sampling"));
        for (int i = 0; i < config.concurrency(); i++) {
            threads.execute(this::loop);
        }
        Gauge.builder("stipple.worker.queued", batcher, Batcher::waiting)
                .description("Held jobs waiting for a batch").register(registry);
        this.receiver = new WorkItemReceiver<>(GenerationWorkItem.class, held, this::queue);
    }

    /**
     * Holds the items of one poll in their order, each once this worker holds fewer than its maximum
     * of jobs ({@code stipple.runtime.max-held-jobs}), and queues each held one for a batch; the stage
     * completes when every item is held or dropped (see {@link WorkItemReceiver}: an unreadable item, a
     * duplicate delivery of a held attempt, or an item whose lease ran out before it was taken). The
     * poll is one {@link Batcher#delivery()}: a batch waits for the items held here and no longer, so
     * the jobs of a poll meet in a batch and a lone job starts at once; an item that has to wait for
     * room joins a later batch. The delivery ends as soon as the poll's last item is queued, before
     * that job's first heartbeat and acknowledgement are sent, so its batch starts meanwhile.
     */
    public CompletionStage<Void> receive(List<? extends Message<String>> poll) {
        CompletableFuture<?>[] held = new CompletableFuture<?>[poll.size()];
        try (Batcher<PendingJob>.Delivery delivery = batcher.delivery()) {
            Consumer<HeldJob<GenerationWorkItem>> queueLast = job -> {
                queue(job);
                delivery.close();
            };
            for (int i = 0; i < poll.size(); i++) {
                held[i] = receiveInItsTrace(poll.get(i), i == poll.size() - 1 ? queueLast : this::queue)
                        .toCompletableFuture();
            }
        }
        return CompletableFuture.allOf(held);
    }

    private void queue(HeldJob<GenerationWorkItem> job) {
        batcher.add(PendingJob.of(job));
    }

    /**
     * The connector gives each record of a poll its consumer span but makes none current (as it does
     * for a record delivered alone); the held job keeps the trace current where it is held.
     */
    private CompletionStage<Void> receiveInItsTrace(Message<String> item, Consumer<HeldJob<GenerationWorkItem>> queue) {
        Context trace = TracingMetadata.fromMessage(item).map(TracingMetadata::getCurrentContext)
                .orElseGet(Context::current);
        try (Scope ignored = trace.makeCurrent()) {
            return receiver.receive(item, queue);
        }
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
