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
        int size = 1;
        for (int d : shape) {
            size *= d;
        }
        if (shape[0] != noise.batchSize()) {
            throw new IllegalArgumentException("shape batch " + shape[0] + " != noise batch " + noise.batchSize());
        }
        return sampleFrom(scheduler, model, steps, new Tensor(shape, noise.nextGaussian(size)), noise, listener);
    }

    /**
     * Sampling from given unit-variance starting noise instead of draw 0 (as diffusers' {@code
     * latents=} argument): the way to reproduce an outside reference run exactly. The noise is
     * scaled by the scheduler's initial sigma; {@code noise} still serves the steps that draw.
     */
    public static Tensor sampleFrom(Scheduler scheduler, StepModel model, int steps, Tensor startingNoise,
            NoiseSource noise, StepListener listener) {
        scheduler.setTimesteps(steps);
        if (startingNoise.batchSize() != noise.batchSize()) {
            throw new IllegalArgumentException("starting noise batch " + startingNoise.batchSize() + " != noise batch "
                    + noise.batchSize());
        }
        float[] initial = SamplingLoop.scaled(startingNoise.data(), scheduler.initNoiseSigma());
        return SamplingLoop.run(scheduler, model, startingNoise.withData(initial), 0, noise, listener);
    }
}
