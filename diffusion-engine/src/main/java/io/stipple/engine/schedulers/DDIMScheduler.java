package io.stipple.engine.schedulers;

import io.stipple.engine.noise.NoiseSource;

/**
 * DDIM (Song et al. 2021, eq. 12): {@code x_prev = sqrt(abar_prev) x0_hat + sqrt(1 - abar_prev -
 * s^2) eps_hat + s z} with {@code s = eta * sqrt(beta-tilde)}. {@code eta = 0} is deterministic (and
 * invertible, see {@link DDIMInverseScheduler}); {@code eta = 1} is DDPM's ancestral sampler.
 *
 * <p>As in diffusers, the previous timestep is {@code t - num_train_timesteps / n} whatever the
 * spacing, and after the last step it is {@code abar = 1} ({@code set_alpha_to_one}) or {@code
 * abar_0}.
 */
public final class DDIMScheduler extends AbstractScheduler implements Markovian {

    private final double eta;

    public DDIMScheduler(SchedulerConfig config) {
        this(config, 0.0);
    }

    /** @param eta stochasticity in [0, 1] (diffusers passes it to each {@code step}) */
    public DDIMScheduler(SchedulerConfig config, double eta) {
        super(config);
        if (eta < 0) {
            throw new IllegalArgumentException("eta must be >= 0, got " + eta);
        }
        this.eta = eta;
    }

    public double eta() {
        return eta;
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        requireStepsInRange(numInferenceSteps);
        useTimesteps(TimestepSpacings.toFloat(TimestepSpacings.descending(config, numInferenceSteps)));
    }

    private double finalAlphaBar() {
        return config.setAlphaToOne() ? 1.0 : schedule.alphaBar(0);
    }

    @Override
    public StepOutput step(float[] modelOutput, float timestep, float[] sample, NoiseSource noise) {
        int t = trainTimestep(timestep);
        int prevT = t - config.numTrainTimesteps() / numInferenceSteps();
        double abar = schedule.alphaBar(t);
        double abarPrev = prevT >= 0 ? schedule.alphaBar(prevT) : finalAlphaBar();
        double alpha = Math.sqrt(abar);
        double sigma = Math.sqrt(1 - abar);

        // 1. Estimates of x0 and eps; eps is taken from the raw output, as in diffusers, unless
        // use_clipped_model_output asks for the eps consistent with the clipped x0.
        float[] x0 = Predictions.originalSample(config.predictionType(), modelOutput, sample, alpha, sigma);
        Predictions.clipOrThreshold(config, x0, batchOf(noise));
        float[] eps = config.useClippedModelOutput()
                ? Predictions.epsilonFrom(x0, sample, alpha, sigma)
                : Predictions.epsilon(config.predictionType(), modelOutput, sample, alpha, sigma);

        // 2. Eq. 12: the deterministic part.
        double variance = (1 - abarPrev) / (1 - abar) * (1 - abar / abarPrev);
        double std = eta * Math.sqrt(variance);
        float[] prev = combine(Math.sqrt(abarPrev), x0, Math.sqrt(1 - abarPrev - std * std), eps);

        // 3. The random part when eta > 0.
        if (eta > 0) {
            float[] z = noise.nextGaussian(sample.length);
            for (int i = 0; i < prev.length; i++) {
                prev[i] = (float) (prev[i] + std * z[i]);
            }
        }
        return new StepOutput(prev, x0);
    }
}
