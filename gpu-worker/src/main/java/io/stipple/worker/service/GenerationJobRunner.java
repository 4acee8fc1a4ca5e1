package io.stipple.worker.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.stipple.contracts.event.JobOutput;
import io.stipple.contracts.event.Progress;
import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.engine.export.StippleModel;
import io.stipple.engine.pipeline.GeneratedImage;
import io.stipple.engine.pipeline.GenerationPipeline;
import io.stipple.engine.pipeline.GenerationRequest;
import io.stipple.engine.pipeline.StepListener;
import io.stipple.runtime.HeldJob;
import io.stipple.runtime.JobReporter;
import io.stipple.runtime.JobRunner;
import io.stipple.worker.config.WorkerConfig;
import io.stipple.worker.mapping.GenerationRequests;
import io.stipple.worker.mapping.UnsupportedSpecException;
import io.stipple.worker.model.ModelCache;
import io.stipple.worker.model.ModelUnavailableException;
import io.stipple.worker.output.ResultWriter;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.jboss.logging.Logger;

/**
 * Runs one held generation job to its end on the calling (worker) thread: running, sampling with
 * throttled progress and cancel checks between steps, results written, then exactly one of
 * succeeded / failed / canceled.
 */
@ApplicationScoped
public class GenerationJobRunner implements JobRunner<GenerationWorkItem> {

    private static final Logger LOG = Logger.getLogger(GenerationJobRunner.class);

    private final ModelCache models;
    private final ResultWriter results;
    private final JobReporter reporter;
    private final WorkerConfig config;
    private final Counter images;
    private final Counter steps;
    private final Timer jobTime;

    GenerationJobRunner(ModelCache models, ResultWriter results, JobReporter reporter, WorkerConfig config,
            MeterRegistry registry) {
        this.models = models;
        this.results = results;
        this.reporter = reporter;
        this.config = config;
        this.images = Counter.builder("stipple_worker_images").description("Images generated").register(registry);
        this.steps = Counter.builder("stipple_worker_steps").description("Sampling steps run (one per batch)")
                .register(registry);
        this.jobTime = Timer.builder("stipple_worker_job_seconds").description("Sampling and upload time per job")
                .register(registry);
    }

    @Override
    public void run(HeldJob<GenerationWorkItem> job) {
        if (job.canceled()) {
            reporter.canceled(job);
            return;
        }
        reporter.running(job);
        GenerationSpec spec = job.item().spec();
        long start = System.nanoTime();
        try {
            GenerationRequest request = GenerationRequests.fromSpec(spec);
            List<GeneratedImage> generated = sample(job, spec.model(), request);
            List<JobOutput> outputs = new ArrayList<>();
            for (GeneratedImage image : generated) {
                outputs.add(results.write(job.item(), image));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            jobTime.record(Duration.ofNanos(System.nanoTime() - start));
            images.increment(generated.size());
            reporter.succeeded(job, outputs, null, Map.of("seconds", seconds));
            LOG.infof("job %s attempt %d: %d images in %.2f s", job.item().jobId(), job.item().attempt(),
                    generated.size(), seconds);
        } catch (CancellationException e) {
            reporter.canceled(job);
        } catch (UnsupportedSpecException | ModelUnavailableException | IllegalArgumentException | ArithmeticException e) {
            // Bad input or a deterministic divergence: another attempt would end the same way.
            reporter.failed(job, e.getMessage(), false);
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.errorf(e, "job %s attempt %d failed", job.item().jobId(), job.item().attempt());
            reporter.failed(job, e.getClass().getSimpleName() + ": " + e.getMessage(), true);
        }
    }

    private List<GeneratedImage> sample(HeldJob<GenerationWorkItem> job, ModelRef ref, GenerationRequest request) {
        StippleModel model = models.acquire(ref);
        try {
            return new GenerationPipeline(model).generate(request, progressOf(job));
        } finally {
            models.release(ref);
        }
    }

    /** Cancel between steps; progress at most every progress-interval, and always at the last step. */
    private StepListener progressOf(HeldJob<?> job) {
        long intervalNanos = config.progressInterval().toNanos();
        long[] lastSent = {System.nanoTime()};
        return (index, total, timestep, output) -> {
            steps.increment();
            if (job.canceled()) {
                throw new CancellationException(job.cancelReason());
            }
            long now = System.nanoTime();
            if (index + 1 == total || now - lastSent[0] >= intervalNanos) {
                lastSent[0] = now;
                reporter.progress(job, new Progress(index + 1, total, GenerationPipeline.BASE_STAGE, null, null));
            }
        };
    }
}
