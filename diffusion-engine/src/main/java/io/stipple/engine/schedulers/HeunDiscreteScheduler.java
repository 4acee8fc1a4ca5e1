package io.stipple.engine.schedulers;

import io.stipple.engine.noise.NoiseSource;

/**
 * Heun's second-order method on the probability-flow ODE (Karras et al. 2022, algorithm 1): an
 * Euler predictor to sigma_next, then a corrector with the average of the two slopes. Two model
 * evaluations per step, so the timesteps repeat: {@code [t0, t1, t1, t2, t2, ...]}; the last step
 * (to sigma = 0) is a plain Euler step.
 */
public final class HeunDiscreteScheduler extends SigmaScheduler {

    private float[] firstSlope;
    private double dt;
    private float[] stepStart;

    public HeunDiscreteScheduler(SchedulerConfig config) {
        super(config);
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        computeSigmas(numInferenceSteps, config.useKarrasSigmas());
        float[] ts = requireTimesteps();
        int n = ts.length;
        // Interleave: sigmas [s0, s1, s1, ..., s_{n-1}, s_{n-1}, final], timesteps [t0, t1, t1, ..., t_{n-1}, t_{n-1}].
        float[] s = new float[2 * n];
        float[] t = new float[2 * n - 1];
        s[0] = sigmas[0];
        t[0] = ts[0];
        for (int i = 1; i < n; i++) {
            s[2 * i - 1] = sigmas[i];
            s[2 * i] = sigmas[i];
            t[2 * i - 1] = ts[i];
            t[2 * i] = ts[i];
        }
        s[2 * n - 1] = sigmas[n];
        sigmas = s;
        useTimesteps(t, numInferenceSteps);
        firstSlope = null;
        stepStart = null;
    }

    @Override
    public int order() {
        return 2;
    }

    @Override
    public StepOutput step(float[] modelOutput, float timestep, float[] sample, NoiseSource noise) {
        int i = stepIndex(timestep);
        boolean predictor = firstSlope == null;
        double sigma = predictor ? sigmas[i] : sigmas[i - 1];
        double next = predictor ? sigmas[i + 1] : sigmas[i];
        // The corrector's model output was computed at sigma_next.
        float[] x0 = originalSample(modelOutput, sample, predictor ? sigma : next);
        if (config.clipSample()) {
            Predictions.clip(x0, config.clipSampleRange());
        }
        float[] prev = new float[sample.length];
        if (predictor) {
            // 1. Euler step, remembering the slope.
            firstSlope = new float[sample.length];
            dt = next - sigma;
            for (int k = 0; k < prev.length; k++) {
                firstSlope[k] = (float) ((sample[k] - x0[k]) / sigma);
                prev[k] = (float) (sample[k] + firstSlope[k] * dt);
            }
            stepStart = sample;
        } else {
            // 2. Second-order correction from the step's start with the mean slope.
            for (int k = 0; k < prev.length; k++) {
                double slope = (sample[k] - x0[k]) / next;
                prev[k] = (float) (stepStart[k] + (firstSlope[k] + slope) / 2 * dt);
            }
            firstSlope = null;
            stepStart = null;
        }
        advanceStep();
        return new StepOutput(prev, x0);
    }
}
