package io.stipple.engine.pipeline;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.guidance.StepModel;
import io.stipple.engine.noise.NoiseSource;
import io.stipple.engine.schedulers.Scheduler;

/**
 * SDEdit (Meng et al. 2022): noise the input image to an intermediate level and denoise from
 * there. {@code strength} in (0, 1] picks how far: the last {@code round_down(steps * strength)}
 * steps of a {@code steps}-step schedule are run, as in diffusers' img2img pipelines.
 */
public final class ImageToImage {

    private ImageToImage() {
    }

    /** Index in {@code timesteps()} where an SDEdit run of this strength starts. */
    public static int startIndex(Scheduler scheduler, int steps, double strength) {
        if (!(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be in (0, 1], got " + strength);
        }
        int initTimestep = Math.min((int) (steps * strength), steps);
        int tStart = Math.max(steps - initTimestep, 0);
        int start = tStart * scheduler.order();
        if (start >= scheduler.timesteps().length) {
            throw new IllegalArgumentException("strength " + strength + " with " + steps + " steps leaves no step to run");
        }
        return start;
    }

    public static Tensor sample(Scheduler scheduler, StepModel model, int steps, double strength, Tensor image,
            NoiseSource noise, StepListener listener) {
        scheduler.setTimesteps(steps);
        int start = startIndex(scheduler, steps, strength);
        float[] z = noise.nextGaussian(image.data().length);
        float[] noisy = scheduler.noiseLevel(scheduler.timesteps()[start]).apply(image.data(), z);
        return SamplingLoop.run(scheduler, model, image.withData(noisy), start, noise, listener);
    }
}
