package io.stipple.trainer.job;

import io.stipple.contracts.event.Progress;
import io.stipple.contracts.work.FineTuneWorkItem;
import io.stipple.runtime.HeldJob;
import io.stipple.runtime.JobReporter;
import io.stipple.runtime.JobRunner;
import io.stipple.storage.ObjectStoreException;
import io.stipple.trainer.config.TrainerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CancellationException;
import org.jboss.logging.Logger;

/**
 * One held fine-tune from running to its terminal event: succeeded with the registered model,
 * failed (not retryable for input the job can never train on, retryable for anything else, e.g. a
 * lost connection, since the next attempt resumes from the last checkpoint), or canceled between
 * steps. Progress events are rate-limited to {@code progress-interval}, always with the step's loss.
 */
@ApplicationScoped
public class FineTuneJobRunner implements JobRunner<FineTuneWorkItem> {

    private static final Logger LOG = Logger.getLogger(FineTuneJobRunner.class);

    private final FineTuneRunner runner;
    private final JobReporter reporter;
    private final long progressIntervalNanos;

    FineTuneJobRunner(FineTuneRunner runner, JobReporter reporter, TrainerConfig config) {
        this.runner = runner;
        this.reporter = reporter;
        this.progressIntervalNanos = config.progressInterval().toNanos();
    }

    @Override
    public void run(HeldJob<FineTuneWorkItem> job) {
        FineTuneWorkItem item = job.item();
        if (job.canceled()) {
            reporter.canceled(job);
            return;
        }
        reporter.running(job);
        long[] lastReport = {System.nanoTime() - progressIntervalNanos};
        try {
            FineTuneResult result = runner.run(item, (stage, step, total, loss) -> {
                long now = System.nanoTime();
                if (step == total || now - lastReport[0] >= progressIntervalNanos) {
                    lastReport[0] = now;
                    reporter.progress(job, new Progress(step, total, stage, loss, null));
                }
            }, job::canceled);
            reporter.succeeded(job, result.outputs(), result.model(), result.metrics());
        } catch (CancellationException e) {
            LOG.infof("job %s attempt %d canceled: %s", item.jobId(), item.attempt(), job.cancelReason());
            reporter.canceled(job);
        } catch (FineTuneRejected e) {
            LOG.infof("job %s rejected: %s", item.jobId(), e.getMessage());
            reporter.failed(job, e.getMessage(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reporter.failed(job, "the trainer shut down during the job", true);
        } catch (Exception | OutOfMemoryError e) {
            LOG.errorf(e, "job %s attempt %d failed", item.jobId(), item.attempt());
            // The object store away (checkpoints, instance images, the base download): retried from the
            // scheduler's infrastructure budget; the next attempt resumes from the last checkpoint.
            reporter.failed(job, "fine-tune failed: " + e, true, ObjectStoreException.isCauseOf(e));
        }
    }
}
