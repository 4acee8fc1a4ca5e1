package io.stipple.worker.batching;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.context.Scope;
import io.stipple.contracts.event.JobOutput;
import io.stipple.contracts.event.Progress;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.model.ImageSize;
import io.stipple.engine.pipeline.GeneratedImage;
import io.stipple.engine.pipeline.GenerationPipeline;
import io.stipple.runtime.HeldJob;
import io.stipple.runtime.JobReporter;
import io.stipple.worker.config.WorkerConfig;
import io.stipple.worker.model.ModelCache;
import io.stipple.worker.model.ModelLease;
import io.stipple.worker.output.PreviewWriter;
import io.stipple.worker.output.ResultWriter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.jboss.logging.Logger;

/**
 * Runs one batch of jobs to their ends on the calling (sampling) thread: each job reported
 * running, all sampled in one shared run (progress and cancels per job), then each job's images
 * written and exactly one of succeeded / failed / canceled per job.
 */
@ApplicationScoped
public class BatchRunner {

    private static final Logger LOG = Logger.getLogger(BatchRunner.class);

    private final ModelCache models;
    private final ResultWriter results;
    private final PreviewWriter previews;
    private final Upscaler upscaler;
    private final JobInputs inputs;
    private final JobReporter reporter;
    private final WorkerConfig config;
    private final MeterRegistry registry;
    private final Counter steps;
    private final DistributionSummary batchSize;
    private final Timer queueWait;
    private final Timer jobTime;

    BatchRunner(ModelCache models, ResultWriter results, PreviewWriter previews, Upscaler upscaler, JobInputs inputs,
            JobReporter reporter, WorkerConfig config, MeterRegistry registry) {
        this.upscaler = upscaler;
        this.inputs = inputs;
        this.models = models;
        this.results = results;
        this.previews = previews;
        this.reporter = reporter;
        this.config = config;
        String stage = GenerationPipeline.BASE_STAGE;
        this.registry = registry;
        this.steps = Counter.builder("stipple.worker.steps").tag("stage", stage)
                .description("Denoising steps run (one per batch call)").register(registry);
        this.batchSize = DistributionSummary.builder("stipple.worker.batch.size").tag("stage", stage)
                .description("Images sampled together in one batch").publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue(64.0).register(registry);
        this.queueWait = Timer.builder("stipple.worker.queue.wait")
                .description("Time a work item waited in the worker before its batch started")
                .publishPercentileHistogram().register(registry);
        this.jobTime = Timer.builder("stipple.worker.batch.seconds").description("Sampling and upload time per batch")
                .register(registry);
    }

    public void run(List<PendingJob> batch) {
        long start = System.nanoTime();
        List<PendingJob> live = new ArrayList<>();
        for (PendingJob pending : batch) {
            HeldJob<?> job = pending.job();
            queueWait.record(Duration.ofNanos(start - job.heldSinceNanos()));
            if (job.canceled()) {
                reporter.canceled(job);
                continue;
            }
            reporter.running(job);
            try (Scope ignored = job.trace().makeCurrent()) {
                LOG.infof("job %s attempt %d running (%d images)", job.item().jobId(), job.item().attempt(),
                        pending.images());
            }
            if (pending.invalid() != null) {
                fail(List.of(pending), pending.invalid());
                continue;
            }
            live.add(pending);
        }
        if (live.isEmpty()) {
            return;
        }
        batchSize.record(live.stream().mapToInt(PendingJob::images).sum());
        LOG.debugf("sampling a batch of %d jobs", live.size());
        ModelLease lease;
        try {
            // one batch, one model and LoRA set (BatchKey)
            lease = models.lease(live.get(0).model(), live.get(0).loras());
        } catch (RuntimeException e) {
            fail(live, e);
            return;
        }
        try (lease) {
            sampleAndFinish(lease.model(), live, start);
        }
        jobTime.record(Duration.ofNanos(System.nanoTime() - start));
    }

    private void sampleAndFinish(DiffusionModel model, List<PendingJob> batch, long start) {
        GenerationPipeline pipeline = new GenerationPipeline(model);
        List<PendingJob> live = withInputs(batch, pipeline);
        if (live.isEmpty()) {
            return;
        }
        List<float[]> sampled;
        BatchProgress progress;
        long samplingStart;
        try {
            ImageSize size = pipeline.imageSize(live.get(0).request()); // one batch, one size (BatchKey)
            progress = new BatchProgress(live, new BatchProgress.Settings(reporter, previews, steps,
                    config.progressInterval(), config.previewInterval(), GenerationPipeline.BASE_STAGE,
                    (predicted, row) -> pipeline.previewImage(predicted, row, size), size));
            samplingStart = System.nanoTime();
            sampled = pipeline.sampleBatch(live.stream().map(PendingJob::request).toList(), progress);
        } catch (CancellationException e) {
            live.forEach(pending -> reporter.canceled(pending.job()));
            return;
        } catch (RuntimeException | OutOfMemoryError e) {
            fail(live, e);
            return;
        }
        BatchTimes times = new BatchTimes(start, samplingStart, System.nanoTime(),
                live.stream().mapToInt(PendingJob::images).sum());
        for (int j = 0; j < live.size(); j++) {
            finish(pipeline, live.get(j), sampled.get(j), progress.finalStep(j), times);
        }
    }

    /**
     * When the batch began (taken from the queue), and began and ended its shared sampling: a job's engine time is
     * the sampling plus its own PNGs, what {@code stipple-engine bench-batching} times for a job alone, so the time
     * around it (the setup before, the upload and the success after) shows apart (docs/benchmarks.md, section 5).
     */
    private record BatchTimes(long start, long samplingStart, long samplingEnd, int images) {

        double seconds(long from, long to) {
            return (to - from) / 1e9;
        }
    }

    /** The batch with every job's inputs loaded; a job whose inputs cannot be had fails here, alone. */
    private List<PendingJob> withInputs(List<PendingJob> batch, GenerationPipeline pipeline) {
        List<PendingJob> ready = new ArrayList<>(batch.size());
        for (PendingJob pending : batch) {
            if (!pending.needsInputs()) {
                ready.add(pending);
                continue;
            }
            try {
                ready.add(pending.withRequest(inputs.complete(pending, pipeline.imageSize(pending.request()))));
            } catch (RuntimeException e) {
                fail(List.of(pending), e);
            }
        }
        return ready;
    }

    /**
     * The job's own rest: its upscale stages if it asked for any, its PNGs, its terminal event.
     *
     * @param baseFinalStep the base stage's last step when it is the job's last stage (not reported as progress)
     */
    private void finish(GenerationPipeline pipeline, PendingJob pending, float[] pixels, Progress baseFinalStep,
            BatchTimes times) {
        HeldJob<?> job = pending.job();
        try (Scope ignored = job.trace().makeCurrent()) {
            finishInTrace(pipeline, pending, pixels, baseFinalStep, times);
        }
    }

    private void finishInTrace(GenerationPipeline pipeline, PendingJob pending, float[] pixels, Progress baseFinalStep,
            BatchTimes times) {
        HeldJob<?> job = pending.job();
        if (job.canceled()) {
            reporter.canceled(job);
            return;
        }
        try {
            long encodeStart = System.nanoTime();
            int upscales = Upscaler.stages(pending.job().item().spec().upscale());
            JobStageProgress stages = new JobStageProgress(job, reporter, registry, config.progressInterval(), upscales);
            List<GeneratedImage> images = upscales > 0
                    ? upscaler.upscale(pipeline.model(), pending, pixels, stages)
                    : pipeline.encode(pending.request(), pixels, pipeline.imageSize(pending.request()),
                            pending.loraParameters());
            long encoded = System.nanoTime();
            List<JobOutput> outputs = results.write(pending.job().item(), images);
            long written = System.nanoTime();
            Counter.builder("stipple.worker.images").tag("model", pending.model().toString())
                    .description("Images finished (PNG written)").register(registry).increment(outputs.size());
            double seconds = times.seconds(times.start(), written);
            double engine = times.seconds(times.samplingStart(), times.samplingEnd()) + times.seconds(encodeStart, encoded);
            // success implies every step: it carries the last one, which no progress event sent
            reporter.succeeded(job, outputs, null, Map.of("seconds", seconds, "engine_seconds", engine,
                    "batch_images", (double) times.images()), upscales > 0 ? stages.finalStep() : baseFinalStep);
            long reported = System.nanoTime();
            LOG.infof("job %s attempt %d: %d images in %.3f s (engine %.3f s: sampling %.3f, %s %.3f; before sampling"
                    + " %.3f, upload %.3f, success sent %.3f)", job.item().jobId(), job.item().attempt(), outputs.size(),
                    times.seconds(times.start(), reported), engine, times.seconds(times.samplingStart(),
                            times.samplingEnd()), upscales > 0 ? "upscale and PNG" : "PNG",
                    times.seconds(encodeStart, encoded), times.seconds(times.start(), times.samplingStart()),
                    times.seconds(encoded, written), times.seconds(written, reported));
        } catch (CancellationException e) {
            reporter.canceled(job);
        } catch (RuntimeException e) {
            fail(List.of(pending), e);
        }
    }

    /** Fails the jobs, retryable or for good as {@link JobFailures} classes the error. */
    private void fail(List<PendingJob> jobs, Throwable e) {
        boolean retryable = JobFailures.retryable(e);
        boolean infrastructure = retryable && JobFailures.infrastructure(e);
        String reason = retryable ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.getMessage();
        for (PendingJob pending : jobs) {
            try (Scope ignored = pending.job().trace().makeCurrent()) {
                if (retryable) {
                    LOG.errorf(e, "job %s attempt %d failed", pending.job().item().jobId(), pending.job().item().attempt());
                }
                reporter.failed(pending.job(), reason, retryable, infrastructure);
            }
        }
    }
}
