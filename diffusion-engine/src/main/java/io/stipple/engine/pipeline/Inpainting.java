package io.stipple.engine.pipeline;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.guidance.StepModel;
import io.stipple.engine.noise.NoiseSource;
import io.stipple.engine.schedulers.Markovian;
import io.stipple.engine.schedulers.NoiseLevel;
import io.stipple.engine.schedulers.Scheduler;

/**
 * RePaint-style inpainting (Lugmayr et al. 2022) with an unconditional model: after every step the
 * known region is replaced by the known image noised to the level the sample has reached, so the
 * model only invents the unknown region and keeps it consistent with the rest. With {@code
 * resamples > 1} each step is repeated: the merged sample is pushed back to the step's starting
 * level with fresh forward noise and denoised again (RePaint's resampling, jump length 1), which
 * harmonises the two regions; that needs a {@link Markovian} scheduler (DDPM, DDIM).
 */
public final class Inpainting {

    private Inpainting() {
    }

    /**
     * @param image     the known image, {@code [B, H, W, C]}
     * @param keepMask  per element of {@code image}: 1 keeps the known value, 0 is generated
     *                  (values in between blend)
     * @param resamples how many times each step is taken (1 = no resampling)
     */
    public static Tensor sample(Scheduler scheduler, StepModel model, int steps, Tensor image, float[] keepMask,
            int resamples, NoiseSource noise, StepListener listener) {
        if (keepMask.length != image.data().length) {
            throw new IllegalArgumentException("mask has " + keepMask.length + " values, image " + image.data().length);
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
        }
        if (resamples > 1 && !(scheduler instanceof Markovian)) {
            throw new IllegalArgumentException("resampling repeats steps, which " + scheduler.getClass().getSimpleName()
                    + " (stateful) cannot do; use DDPM or DDIM, or resamples = 1");
        }
        scheduler.setTimesteps(steps);
        float[] timesteps = scheduler.timesteps();
        float[] known = image.data();
        int n = known.length;

        // Start from noise, with the known region already at the first level.
        float[] start = SamplingLoop.scaled(noise.nextGaussian(n), scheduler.initNoiseSigma());
        start = merge(keepMask, scheduler.noiseLevel(timesteps[0]).apply(known, noise.nextGaussian(n)), start);

        Tensor result = image.withData(start);
        for (int i = 0; i < timesteps.length; i++) {
            final int index = i;
            NoiseLevel here = scheduler.noiseLevel(timesteps[i]);
            NoiseLevel next = i + 1 < timesteps.length ? scheduler.noiseLevel(timesteps[i + 1]) : new NoiseLevel(1, 0);
            float[] before = result.data();
            for (int r = 0; r < resamples; r++) {
                Tensor one = oneStep(scheduler, model, result.withData(before), index, noise, listener, keepMask,
                        known, next);
                if (r + 1 < resamples) {
                    // Jump back: forward-noise the merged sample from the next level to this one.
                    before = next.renoise(one.data(), here, noise.nextGaussian(n));
                } else {
                    result = one;
                }
            }
        }
        return result;
    }

    private static Tensor oneStep(Scheduler scheduler, StepModel model, Tensor sample, int index, NoiseSource noise,
            StepListener listener, float[] keepMask, float[] known, NoiseLevel next) {
        float t = scheduler.timesteps()[index];
        float[] output = model.predict(sample.withData(scheduler.scaleModelInput(sample.data(), t)), t);
        var step = scheduler.step(output, t, sample.data(), noise);
        float[] knownAtNext = next.sigma() == 0 ? known : next.apply(known, noise.nextGaussian(known.length));
        listener.onStep(index, scheduler.timesteps().length, t, step);
        return sample.withData(merge(keepMask, knownAtNext, step.prevSample()));
    }

    private static float[] merge(float[] keepMask, float[] known, float[] generated) {
        float[] out = new float[known.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = keepMask[i] * known[i] + (1 - keepMask[i]) * generated[i];
        }
        return out;
    }
}
