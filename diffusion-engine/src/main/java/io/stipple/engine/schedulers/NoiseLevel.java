package io.stipple.engine.schedulers;

import java.util.function.IntFunction;

/**
 * A noise level in a scheduler's sample space: {@code x_t = alpha * x0 + sigma * eps}. DDPM-type
 * schedulers have {@code (sqrt(alpha_bar), sqrt(1 - alpha_bar))}; Euler-type ones work on
 * unscaled samples, {@code (1, sigma)}.
 */
public record NoiseLevel(double alpha, double sigma) {

    /** {@code alpha * x0 + sigma * noise}, element-wise. */
    public float[] apply(float[] x0, float[] noise) {
        float[] out = new float[x0.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (alpha * x0[i] + sigma * noise[i]);
        }
        return out;
    }

    /**
     * {@code alpha * x0 + sigma * noise} over a batch whose values split evenly into one example per
     * timestep, each example at {@code levelAt} its timestep.
     */
    static float[] applyPerExample(float[] x0, float[] noise, int[] timesteps, IntFunction<NoiseLevel> levelAt) {
        if (x0.length != noise.length || timesteps.length == 0 || x0.length % timesteps.length != 0) {
            throw new IllegalArgumentException("samples (" + x0.length + "), noise (" + noise.length
                    + ") and " + timesteps.length + " timesteps do not form a batch");
        }
        int per = x0.length / timesteps.length;
        float[] out = new float[x0.length];
        for (int b = 0; b < timesteps.length; b++) {
            NoiseLevel level = levelAt.apply(timesteps[b]);
            for (int i = b * per; i < (b + 1) * per; i++) {
                out[i] = (float) (level.alpha * x0[i] + level.sigma * noise[i]);
            }
        }
        return out;
    }

    /**
     * Moves a sample from this level to a noisier {@code target} level by adding fresh noise (the
     * forward process): {@code x_b = (alpha_b / alpha_a) x_a + sqrt(sigma_b^2 - (alpha_b / alpha_a)^2
     * sigma_a^2) z}.
     */
    public float[] renoise(float[] sample, NoiseLevel target, float[] noise) {
        double ratio = target.alpha / alpha;
        double var = target.sigma * target.sigma - ratio * ratio * sigma * sigma;
        if (var < -1e-6) {
            throw new IllegalArgumentException("cannot renoise from " + this + " to the less noisy " + target);
        }
        double std = Math.sqrt(Math.max(var, 0));
        float[] out = new float[sample.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (ratio * sample[i] + std * noise[i]);
        }
        return out;
    }
}
