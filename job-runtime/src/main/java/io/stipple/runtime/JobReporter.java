package io.stipple.runtime;

import io.opentelemetry.context.Scope;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.event.JobCanceled;
import io.stipple.contracts.event.JobEvent;
import io.stipple.contracts.event.JobFailed;
import io.stipple.contracts.event.JobHeartbeat;
import io.stipple.contracts.event.JobOutput;
import io.stipple.contracts.event.JobProgress;
import io.stipple.contracts.event.JobRunning;
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.contracts.event.Progress;
import io.stipple.contracts.spec.ModelRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;
import org.jboss.logging.Logger;

/**
 * Emits the events of a held job, numbering them per attempt: sequence allocation and send
 * happen under the job's lock, so a runner thread and the heartbeat thread never reorder them.
 * After one terminal event (succeeded, failed, canceled) the attempt is silent. Every event is sent
 * in the job's trace, whichever thread sends it.
 *
 * <p>A terminal event waits for the job's receipt, the commit of its work item as consumed
 * ({@link ReceiptCommit}): once an attempt's end is reported, no redelivery of its item may run it
 * again in the next process. The commit was asked for when the item was held, seconds before a job
 * ends, so this rarely waits at all.
 */
@ApplicationScoped
public class JobReporter {

    private static final Logger LOG = Logger.getLogger(JobReporter.class);

    private final EventSink sink;
    private final WorkerIdentity worker;
    private final Duration receiptPatience;
    private final Clock clock = Clock.systemUTC();

    @Inject
    public JobReporter(EventSink sink, WorkerIdentity worker, RuntimeConfig config) {
        this(sink, worker, config.receiptPatience());
    }

    JobReporter(EventSink sink, WorkerIdentity worker, Duration receiptPatience) {
        this.sink = sink;
        this.worker = worker;
        this.receiptPatience = receiptPatience;
    }

    public void running(HeldJob<?> job) {
        emit(job, false, seq -> new JobRunning(SchemaVersion.CURRENT, job.item().jobId(), job.item().tenantId(),
                job.item().attempt(), seq, clock.instant(), worker.id()));
    }

    public void progress(HeldJob<?> job, Progress progress) {
        emit(job, false, seq -> new JobProgress(SchemaVersion.CURRENT, job.item().jobId(), job.item().tenantId(),
                job.item().attempt(), seq, clock.instant(), worker.id(), progress));
    }

    public void heartbeat(HeldJob<?> job) {
        emit(job, false, seq -> new JobHeartbeat(SchemaVersion.CURRENT, job.item().jobId(), job.item().tenantId(),
                job.item().attempt(), seq, clock.instant(), worker.id()));
    }

    /** @param producedModel the model version a fine-tune produced, or null */
    public void succeeded(HeldJob<?> job, List<JobOutput> outputs, ModelRef producedModel, Map<String, Double> metrics) {
        succeeded(job, outputs, producedModel, metrics, null);
    }

    /**
     * @param producedModel the model version a fine-tune produced, or null
     * @param finalStep     the last step of the job's last stage, not sent as a progress event of its own, or null
     */
    public void succeeded(HeldJob<?> job, List<JobOutput> outputs, ModelRef producedModel, Map<String, Double> metrics,
            Progress finalStep) {
        emit(job, true, seq -> new JobSucceeded(SchemaVersion.CURRENT, job.item().jobId(), job.item().tenantId(),
                job.item().attempt(), seq, clock.instant(), worker.id(), outputs, producedModel, metrics, finalStep));
    }

    /** @param retryable whether another attempt could succeed (a crash may; a bad spec never does) */
    public void failed(HeldJob<?> job, String reason, boolean retryable) {
        failed(job, reason, retryable, false);
    }

    /**
     * @param retryable      whether another attempt could succeed (a crash may; a bad spec never does)
     * @param infrastructure whether the attempt was lost to the infrastructure (the object store away), which
     *                       the scheduler retries from a budget of its own rather than the job's attempts
     */
    public void failed(HeldJob<?> job, String reason, boolean retryable, boolean infrastructure) {
        emit(job, true, seq -> new JobFailed(SchemaVersion.CURRENT, job.item().jobId(), job.item().tenantId(),
                job.item().attempt(), seq, clock.instant(), worker.id(), reason, retryable, infrastructure));
    }

    public void canceled(HeldJob<?> job) {
        emit(job, true, seq -> new JobCanceled(SchemaVersion.CURRENT, job.item().jobId(), job.item().tenantId(),
                job.item().attempt(), seq, clock.instant(), worker.id(), job.cancelReason()));
    }

    private void emit(HeldJob<?> job, boolean terminal, LongFunction<JobEvent> event) {
        if (terminal) {
            awaitReceipt(job);
        }
        synchronized (job) {
            if (job.finished()) {
                return;
            }
            try (Scope ignored = job.trace().makeCurrent()) {
                sink.publish(event.apply(job.nextSequence(System.nanoTime())));
            }
            if (terminal) {
                job.finish();
            }
        }
    }

    /** Outside the job's lock: the heartbeat thread goes on keeping the lease while this waits. */
    private void awaitReceipt(HeldJob<?> job) {
        try {
            job.receipt().toCompletableFuture().get(receiptPatience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // The end is reported all the same: holding it back would leave a finished job to its lease's expiry and a new attempt,
            // while a redelivery (only after a rebalance or a restart) costs a second run the scheduler ignores.
            LOG.warnf("job %s attempt %d: its work item's offset was not committed (%s); reporting its end anyway, "
                    + "so a redelivery of the item would run the attempt again", job.item().jobId(), job.item().attempt(),
                    e instanceof ExecutionException ? e.getCause() : "no answer in " + receiptPatience);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // shutting down: the end is reported at once
        }
    }
}
