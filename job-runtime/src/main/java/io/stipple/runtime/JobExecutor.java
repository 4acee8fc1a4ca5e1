package io.stipple.runtime;

import io.opentelemetry.context.Scope;
import io.stipple.contracts.work.LeasedWorkItem;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * Runs held jobs one per thread on a fixed pool, off the Kafka poll loop. A service's
 * {@code @Incoming} method for its work channel calls {@link #receive} and returns at once: the
 * offset is committed on receipt, so a job that runs for minutes or hours never holds up the poll
 * loop into a rebalance and a second execution. Recovery from a process that dies with a job is
 * the scheduler's lease, which {@link HeldJobs} keeps alive meanwhile.
 *
 * <pre>{@code
 * executor = new JobExecutor<>(FineTuneWorkItem.class, "stipple-training", 1, heldJobs, trainingRunner);
 * @Incoming("work-finetune") public void receive(String json) { executor.receive(json); }
 * }</pre>
 */
public final class JobExecutor<W extends LeasedWorkItem> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(JobExecutor.class);

    private final Class<W> type;
    private final HeldJobs held;
    private final JobRunner<W> runner;
    private final ExecutorService threads;

    public JobExecutor(Class<W> type, String threadName, int concurrency, HeldJobs held, JobRunner<W> runner) {
        this.type = type;
        this.held = held;
        this.runner = runner;
        this.threads = Executors.newFixedThreadPool(concurrency, Threads.named(threadName));
    }

    /**
     * Reads a work item and takes it; returns at once. An unreadable item is logged and skipped:
     * it would fail the same way on every redelivery.
     */
    public void receive(String json) {
        WorkItems.read(json, type).ifPresent(this::accept);
    }

    /** Holds the item (duplicates of a held attempt are ignored) and queues it for a thread; returns at once. */
    public void accept(W item) {
        held.hold(item).ifPresent(job -> threads.execute(() -> {
            // The job's trace for every line the runner logs on this thread, its failure included.
            try (Scope ignored = job.trace().makeCurrent()) {
                runAndRelease(job);
            }
        }));
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
