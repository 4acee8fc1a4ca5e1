package io.stipple.engine.schedulers;

import io.stipple.engine.noise.NoiseSource;

/**
 * Ancestral sampling of the DDPM reverse process (Ho et al. 2020, algorithm 2), on any subset of
 * the training timesteps: {@code x_{t'} = mean(x0_hat, x_t) + sqrt(var) z}, with the posterior
 * mean of eq. 7 and variance beta-tilde ({@code fixed_small}) or beta ({@code fixed_large}),
 * where beta is recomputed for the skipped span as {@code 1 - abar_t / abar_t'}.
 */
public final class DDPMScheduler extends AbstractScheduler implements Markovian {

    public DDPMScheduler(SchedulerConfig config) {
        super(config);
        config.require(config.varianceType() != null, "variance_type null (use fixed_small or fixed_large)");
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        requireStepsInRange(numInferenceSteps);
        useTimesteps(TimestepSpacings.toFloat(TimestepSpacings.descending(config, numInferenceSteps)));
    }

    /** The timestep after {@code t} in the schedule, or -1 after the last one. */
    private int previousTimestep(int t) {
        float[] ts = requireTimesteps();
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] == t) {
                return i + 1 < ts.length ? (int) ts[i + 1] : -1;
            }
        }
        throw new IllegalArgumentException("timestep " + t + " is not in this schedule");
    }

    @Override
    public StepOutput step(float[] modelOutput, float timestep, float[] sample, NoiseSource noise) {
        int t = trainTimestep(timestep);
        int prevT = previousTimestep(t);
        double abar = schedule.alphaBar(t);
        double abarPrev = prevT >= 0 ? schedule.alphaBar(prevT) : 1.0;
        double alpha = abar / abarPrev;
        double beta = 1 - alpha;

        // 1. Estimate x0 and post-process it.
        float[] x0 = Predictions.originalSample(config.predictionType(), modelOutput, sample,
                Math.sqrt(abar), Math.sqrt(1 - abar));
        Predictions.clipOrThreshold(config, x0, batchOf(noise));

        // 2. Posterior mean (Ho et al. eq. 7).
        double x0Coeff = Math.sqrt(abarPrev) * beta / (1 - abar);
        double sampleCoeff = Math.sqrt(alpha) * (1 - abarPrev) / (1 - abar);
        float[] prev = combine(x0Coeff, x0, sampleCoeff, sample);

        // 3. Add noise except at the last step.
        if (t > 0) {
            double variance = Math.max((1 - abarPrev) / (1 - abar) * beta, 1e-20);
            double std = config.varianceType() == VarianceType.FIXED_LARGE ? Math.sqrt(beta) : Math.sqrt(variance);
            float[] z = noise.nextGaussian(sample.length);
            for (int i = 0; i < prev.length; i++) {
                prev[i] = (float) (prev[i] + std * z[i]);
            }
        }
        return new StepOutput(prev, x0);
    }
}
