package io.stipple.engine.pipeline;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.guidance.StepModel;
import io.stipple.engine.noise.NoiseSource;
import io.stipple.engine.schedulers.Scheduler;

/** Sampling from pure noise: draw 0 of the noise source, scaled by the scheduler's initial sigma. */
public final class TextToImage {

    private TextToImage() {
    }

    /**
     * @param shape {@code [B, H, W, C]}; B must equal the noise source's batch size
     */
    public static Tensor sample(Scheduler scheduler, StepModel model, int steps, int[] shape, NoiseSource noise,
            StepListener listener) {
        scheduler.setTimesteps(steps);
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        if (shape[0] != noise.batchSize()) {
            throw new IllegalArgumentException("shape batch " + shape[0] + " != noise batch " + noise.batchSize());
        }
        float[] initial = SamplingLoop.scaled(noise.nextGaussian(size), scheduler.initNoiseSigma());
        return SamplingLoop.run(scheduler, model, new Tensor(shape, initial), 0, noise, listener);
    }
}
