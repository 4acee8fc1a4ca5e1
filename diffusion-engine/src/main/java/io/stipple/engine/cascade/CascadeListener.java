package io.stipple.engine.cascade;

import io.stipple.engine.pipeline.StepListener;

/**
 * Step reports of a multi-stage run: each stage asks for its own {@link StepListener} by name
 * ({@value CascadePipeline#BASE_STAGE}, then {@code upscale_x2}, {@code upscale_x4}: the factor over
 * the chain's input), so a worker can report which stage a step belongs to. Throwing from a step
 * listener (e.g. on cancel) stops the run.
 */
@FunctionalInterface
public interface CascadeListener {

    CascadeListener NONE = stage -> StepListener.NONE;

    StepListener stage(String name);
}
