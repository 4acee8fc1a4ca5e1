package io.stipple.engine.schedulers;

import io.stipple.engine.noise.NoiseSource;

/**
 * Euler's method on the probability-flow ODE {@code dx/dsigma = (x - D(x, sigma)) / sigma} (Karras
 * et al. 2022, algorithm 1 without churn): {@code x_next = x + (sigma_next - sigma) (x - x0_hat) /
 * sigma}. First order; deterministic.
 */
public final class EulerDiscreteScheduler extends SigmaScheduler {

    public EulerDiscreteScheduler(SchedulerConfig config) {
        super(config);
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        computeSigmas(numInferenceSteps, config.useKarrasSigmas());
    }

    @Override
    public StepOutput step(float[] modelOutput, float timestep, float[] sample, NoiseSource noise) {
        int i = stepIndex(timestep);
        double sigma = sigmas[i];
        float[] x0 = originalSample(modelOutput, sample, sigma);
        // Euler step: derivative (x - x0) / sigma times d sigma.
        double dt = sigmas[i + 1] - sigma;
        float[] prev = new float[sample.length];
        for (int k = 0; k < prev.length; k++) {
            prev[k] = (float) (sample[k] + (sample[k] - x0[k]) / sigma * dt);
        }
        advanceStep();
        return new StepOutput(prev, x0);
    }
}
