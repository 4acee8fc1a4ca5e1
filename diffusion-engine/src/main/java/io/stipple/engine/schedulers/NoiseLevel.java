package io.stipple.engine.schedulers;

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
