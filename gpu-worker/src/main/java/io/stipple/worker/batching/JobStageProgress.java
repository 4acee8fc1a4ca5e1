package io.stipple.worker.batching;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.stipple.contracts.event.Progress;
import io.stipple.engine.cascade.CascadeListener;
import io.stipple.engine.pipeline.StepListener;
import io.stipple.runtime.HeldJob;
import io.stipple.runtime.JobReporter;
import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * Steps of one job's own stages (the cascade's upscales): throttled progress named by stage, and its cancel.
 * Each stage's last step is reported, but the last stage's, which the job's success carries instead
 * ({@link #finalStep}, as {@link BatchProgress} does for a job without upscales).
 */
final class JobStageProgress implements CascadeListener {

    private final HeldJob<?> job;
    private final JobReporter reporter;
    private final MeterRegistry registry;
    private final long intervalNanos;
    private final int stages;
    private int started;
    private Progress finalStep;

    /** @param stages how many stages the job runs through this listener */
    JobStageProgress(HeldJob<?> job, JobReporter reporter, MeterRegistry registry, Duration interval, int stages) {
        this.job = job;
        this.reporter = reporter;
        this.registry = registry;
        this.intervalNanos = interval.toNanos();
        this.stages = stages;
    }

    /** The last step of the last stage, once run; else null. */
    Progress finalStep() {
        return finalStep;
    }

    @Override
    public StepListener stage(String name) {
        Counter steps = Counter.builder("stipple.worker.steps").tag("stage", name).register(registry);
        long[] lastSent = {System.nanoTime()};
        boolean lastStage = ++started == stages;
        return (index, total, timestep, output) -> {
            steps.increment();
            if (job.canceled()) {
                throw new CancellationException(job.cancelReason());
            }
            long now = System.nanoTime();
            boolean last = index + 1 == total;
            if (last && lastStage) {
                finalStep = new Progress(total, total, name, null, null);
            } else if (last || now - lastSent[0] >= intervalNanos) {
                lastSent[0] = now;
                reporter.progress(job, new Progress(index + 1, total, name, null, null));
            }
        };
    }
}
