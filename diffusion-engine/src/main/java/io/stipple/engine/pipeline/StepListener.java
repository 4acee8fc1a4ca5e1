package io.stipple.engine.pipeline;

import io.stipple.engine.schedulers.StepOutput;

/**
 * Told after every scheduler step: for progress reports and previews. To cancel a run, throw
 * (e.g. {@link java.util.concurrent.CancellationException}); the loop does not catch it.
 */
@FunctionalInterface
public interface StepListener {

    StepListener NONE = (index, total, timestep, output) -> { };

    void onStep(int index, int total, float timestep, StepOutput output);
}
