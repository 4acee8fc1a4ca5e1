package io.stipple.engine.denoise;

import io.stipple.engine.schedulers.NoiseLevel;
import io.stipple.engine.schedulers.PredictionType;
import java.util.function.Function;

/**
 * The exact denoiser for data whose every element is N(mu, s^2), independently: for {@code x =
 * a x0 + b eps} (DDPM space, {@code a^2 + b^2 = 1}) the posterior means are {@code E[eps | x] = b
 * (x - a mu) / (a^2 s^2 + b^2)} and {@code E[x0 | x] = mu + a s^2 (x - a mu) / (a^2 s^2 + b^2)}.
 * A perfectly trained network would output these, so samplers can be checked against closed-form
 * answers (see {@code AnalyticGaussianTest}).
 *
 * <p>The noise level of a timestep is the scheduler's ({@code Scheduler::noiseLevel}), so the
 * oracle is "trained" on exactly the schedule being sampled; inputs are model inputs, i.e. in DDPM
 * space for every scheduler (Euler-type ones scale by 1/sqrt(sigma^2+1) before the model).
 */
public final class GaussianOracle implements Denoiser {

    private final double mu;
    private final double s;
    private final PredictionType prediction;
    private final Function<Float, NoiseLevel> levels;

    public GaussianOracle(double mu, double s, PredictionType prediction, Function<Float, NoiseLevel> levels) {
        this.mu = mu;
        this.s = s;
        this.prediction = prediction;
        this.levels = levels;
    }

    @Override
    public float[] predict(Tensor sample, float[] timesteps, Conditioning conditioning) {
        float[] x = sample.data();
        float[] out = new float[x.length];
        int per = sample.exampleSize();
        for (int row = 0; row < sample.batchSize(); row++) {
            NoiseLevel level = levels.apply(timesteps[row]);
            // To DDPM space: a = alpha / sqrt(alpha^2 + sigma^2), b = sigma / sqrt(alpha^2 + sigma^2).
            double norm = Math.hypot(level.alpha(), level.sigma());
            double a = level.alpha() / norm;
            double b = level.sigma() / norm;
            double variance = a * a * s * s + b * b;
            for (int i = row * per; i < (row + 1) * per; i++) {
                double centred = x[i] - a * mu;
                double eps = b * centred / variance;
                double x0 = mu + a * s * s * centred / variance;
                out[i] = (float) switch (prediction) {
                    case EPSILON -> eps;
                    case SAMPLE -> x0;
                    case V_PREDICTION -> a * eps - b * x0;
                };
            }
        }
        return out;
    }
}
