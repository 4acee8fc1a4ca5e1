package io.stipple.engine.schedulers;

import io.stipple.engine.noise.NoiseSource;

/**
 * Euler ancestral (k-diffusion's {@code sample_euler_ancestral}): an Euler step down to {@code
 * sigma_down}, then fresh noise of standard deviation {@code sigma_up}, where {@code sigma_up^2 =
 * sigma_next^2 (sigma^2 - sigma_next^2) / sigma^2} and {@code sigma_down^2 = sigma_next^2 -
 * sigma_up^2}. Draws once per step.
 */
public final class EulerAncestralDiscreteScheduler extends SigmaScheduler {

    public EulerAncestralDiscreteScheduler(SchedulerConfig config) {
        super(config);
        config.require(config.predictionType() != PredictionType.SAMPLE, "prediction_type sample");
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        computeSigmas(numInferenceSteps, false);
    }

    @Override
    public StepOutput step(float[] modelOutput, float timestep, float[] sample, NoiseSource noise) {
        int i = stepIndex(timestep);
        double sigma = sigmas[i];
        double next = sigmas[i + 1];
        float[] x0 = originalSample(modelOutput, sample, sigma);

        double sigmaUp = Math.sqrt(next * next * (sigma * sigma - next * next) / (sigma * sigma));
        double sigmaDown = Math.sqrt(next * next - sigmaUp * sigmaUp);
        double dt = sigmaDown - sigma;
        float[] z = noise.nextGaussian(sample.length);
        float[] prev = new float[sample.length];
        for (int k = 0; k < prev.length; k++) {
            prev[k] = (float) (sample[k] + (sample[k] - x0[k]) / sigma * dt + sigmaUp * z[k]);
        }
        advanceStep();
        return new StepOutput(prev, x0);
    }
}
