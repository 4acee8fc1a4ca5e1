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

/** Steps of one job's own stages (the cascade's upscales): throttled progress named by stage, and its cancel. */
final class JobStageProgress implements CascadeListener {

    private final HeldJob<?> job;
    private final JobReporter reporter;
    private final MeterRegistry registry;
    private final long intervalNanos;

    JobStageProgress(HeldJob<?> job, JobReporter reporter, MeterRegistry registry, Duration interval) {
        this.job = job;
        this.reporter = reporter;
        this.registry = registry;
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public StepListener stage(String name) {
        Counter steps = Counter.builder("stipple.worker.steps").tag("stage", name).register(registry);
        long[] lastSent = {System.nanoTime()};
        return (index, total, timestep, output) -> {
            steps.increment();
            if (job.canceled()) {
                throw new CancellationException(job.cancelReason());
            }
            long now = System.nanoTime();
            if (index + 1 == total || now - lastSent[0] >= intervalNanos) {
                lastSent[0] = now;
                reporter.progress(job, new Progress(index + 1, total, name, null, null));
            }
        };
    }
}
