package io.stipple.runtime;

import io.opentelemetry.context.Scope;
import io.stipple.contracts.work.LeasedWorkItem;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Runs held jobs one per thread on a fixed pool, off the Kafka poll loop. A service's
 * {@code @Incoming} method for its work channel returns {@link #receive}'s stage: the item is
 * acknowledged (its offset committed) once it is held, not when its job ends, so a job that runs
 * for minutes or hours never holds up the poll loop into a rebalance and a second execution. Recovery from a process
 * that dies with a job is the scheduler's lease, which {@link HeldJobs} keeps alive meanwhile.
 * When the process already holds {@code stipple.runtime.max-held-jobs} attempts, the stage
 * completes only once one of them ends: the connector pauses the partitions meanwhile and keeps
 * polling (back-pressure, as in gpu-worker), instead of queueing unbounded work in this process.
 *
 * <pre>{@code
 * executor = new JobExecutor<>(FineTuneWorkItem.class, "stipple-training", 1, heldJobs, trainingRunner);
 * @Incoming("work-finetune") public CompletionStage<Void> receive(Message<String> item) { return executor.receive(item); }
 * }</pre>
 */
public final class JobExecutor<W extends LeasedWorkItem> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobExecutor.class);

    private final HeldJobs held;
    private final JobRunner<W> runner;
    private final ExecutorService threads;
    private final WorkItemReceiver<W> receiver;

    public JobExecutor(Class<W> type, String threadName, int concurrency, HeldJobs held, JobRunner<W> runner) {
        this.held = held;
        this.runner = runner;
        this.threads = Executors.newFixedThreadPool(concurrency, Threads.named(threadName));
        this.receiver = new WorkItemReceiver<>(type, held, this::start);
    }

    /** The service's work-channel method returns this: see {@link WorkItemReceiver}. */
    public CompletionStage<Void> receive(Message<String> message) {
        return receiver.receive(message);
    }

    private void start(HeldJob<W> job) {
        threads.execute(() -> {
            // The job's trace for every line the runner logs on this thread, its failure included.
            try (Scope ignored = job.trace().makeCurrent()) {
                runAndRelease(job);
            }
        });
    }

    private void runAndRelease(HeldJob<W> job) {
        try {
            runner.run(job);
        } catch (RuntimeException e) {
            LOG.errorf(e, "runner for job %s attempt %d ended abnormally", job.item().jobId(), job.item().attempt());
        } finally {
            held.release(job);
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
