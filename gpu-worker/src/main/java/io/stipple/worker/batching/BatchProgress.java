package io.stipple.worker.batching;

import io.micrometer.core.instrument.Counter;
import io.stipple.contracts.event.Progress;
import io.stipple.engine.model.ImageSize;
import io.stipple.engine.pipeline.StepListener;
import io.stipple.engine.schedulers.StepOutput;
import io.stipple.runtime.JobReporter;
import io.stipple.worker.output.PreviewWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.jboss.logging.Logger;

/**
 * Step listener of one batch: throttled progress per job, now and then with a preview, and
 * cancels. A job canceled mid-batch is reported canceled at once; its rows keep riding to the end
 * of the batch (dropping them would change the others' batch shape and scheduler state) and are
 * thrown away. Only when every job of the batch is canceled does the run stop.
 *
 * <p>The last step is always reported, except for a job whose last stage this is: its success follows
 * within milliseconds (PNG and upload) and carries that step ({@link #finalStep}), where a progress event
 * of its own would cost the scheduler and the gateway a whole pass ahead of the success on the job's
 * partition (docs/benchmarks.md, section 5).
 */
final class BatchProgress implements StepListener {

    private static final Logger LOG = Logger.getLogger(BatchProgress.class);

    /**
     * How often and where progress goes.
     *
     * @param previewImage row of a step's predicted clean samples to an RGB image of {@code size}
     *        (decoded: samples need not be images)
     */
    record Settings(JobReporter reporter, PreviewWriter previews, Counter steps, Duration progressInterval,
            Duration previewInterval, String stage, PreviewImage previewImage, ImageSize size) {
    }

    /** Decodes one row of predicted clean samples for a preview ({@code GenerationPipeline.previewImage}). */
    @FunctionalInterface
    interface PreviewImage {
        float[] of(float[] predictedSamples, int row);
    }

    private final List<PendingJob> jobs;
    private final Settings settings;
    private final int[] firstRow;
    private final long[] lastProgress;
    private final long[] lastPreview;
    private final Progress[] finalSteps;

    BatchProgress(List<PendingJob> jobs, Settings settings) {
        this.jobs = jobs;
        this.settings = settings;
        this.firstRow = new int[jobs.size()];
        for (int j = 1; j < jobs.size(); j++) {
            firstRow[j] = firstRow[j - 1] + jobs.get(j - 1).images();
        }
        long now = System.nanoTime();
        this.lastProgress = new long[jobs.size()];
        this.lastPreview = new long[jobs.size()];
        Arrays.fill(lastProgress, now);
        Arrays.fill(lastPreview, now);
        this.finalSteps = new Progress[jobs.size()];
    }

    /** The last step of job {@code j}'s last stage, once sampled, for its success event; else null. */
    Progress finalStep(int j) {
        return finalSteps[j];
    }

    @Override
    public void onStep(int index, int total, float timestep, StepOutput output) {
        settings.steps().increment();
        long now = System.nanoTime();
        boolean anyLive = false;
        for (int j = 0; j < jobs.size(); j++) {
            var job = jobs.get(j).job();
            if (job.canceled()) {
                settings.reporter().canceled(job);
                continue;
            }
            anyLive = true;
            boolean last = index + 1 == total;
            if (last && Upscaler.stages(job.item().spec().upscale()) == 0) {
                finalSteps[j] = new Progress(total, total, settings.stage(), null, null);
            } else if (last || now - lastProgress[j] >= settings.progressInterval().toNanos()) {
                lastProgress[j] = now;
                String preview = null;
                if (!last && previewDue(j, now) && output.predOriginalSample() != null) {
                    lastPreview[j] = now;
                    preview = preview(j, output.predOriginalSample());
                }
                settings.reporter().progress(job, new Progress(index + 1, total, settings.stage(), null, preview));
            }
        }
        if (!anyLive) {
            throw new CancellationException("every job of the batch was canceled");
        }
    }

    private boolean previewDue(int j, long now) {
        long interval = settings.previewInterval().toNanos();
        return interval > 0 && now - lastPreview[j] >= interval;
    }

    /** A preview is a nicety: one that cannot be written leaves the progress event without it. */
    private String preview(int j, float[] predictedClean) {
        try {
            float[] image = settings.previewImage().of(predictedClean, firstRow[j]);
            return settings.previews().write(jobs.get(j).job().item(), image, 0, settings.size().height(),
                    settings.size().width());
        } catch (RuntimeException e) {
            LOG.warnf("no preview for job %s: %s", jobs.get(j).job().item().jobId(), e.getMessage());
            return null;
        }
    }
}
