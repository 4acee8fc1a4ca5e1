package io.stipple.engine.schedulers;

import io.stipple.engine.noise.NoiseSource;

/**
 * DDIM inversion: the eta = 0 DDIM update run forwards in time (Song et al. 2021, section 4.3;
 * Mokady et al. 2022), mapping an image to the noise that deterministic DDIM maps back to it. The
 * timesteps ascend; each step moves from the level of {@code t - num_train_timesteps / n} (or
 * {@code abar = 1} before the first) to the level of {@code t}, as diffusers'
 * {@code DDIMInverseScheduler} does.
 */
public final class DDIMInverseScheduler extends AbstractScheduler {

    public DDIMInverseScheduler(SchedulerConfig config) {
        super(config);
        config.require(config.timestepSpacing() != TimestepSpacing.LINSPACE, "timestep_spacing linspace");
    }

    @Override
    public void setTimesteps(int numInferenceSteps) {
        requireStepsInRange(numInferenceSteps);
        int[] descending = TimestepSpacings.descending(config, numInferenceSteps);
        float[] ascending = new float[descending.length];
        for (int i = 0; i < descending.length; i++) {
            ascending[i] = descending[descending.length - 1 - i];
        }
        useTimesteps(ascending);
    }

    @Override
    public StepOutput step(float[] modelOutput, float timestep, float[] sample, NoiseSource noise) {
        int target = trainTimestep(timestep);
        int from = Math.min(target - config.numTrainTimesteps() / numInferenceSteps(), config.numTrainTimesteps() - 1);
        double abar = from >= 0 ? schedule.alphaBar(from) : (config.setAlphaToOne() ? 1.0 : schedule.alphaBar(0));
        double abarNext = schedule.alphaBar(target);
        double alpha = Math.sqrt(abar);
        double sigma = Math.sqrt(1 - abar);

        float[] x0 = Predictions.originalSample(config.predictionType(), modelOutput, sample, alpha, sigma);
        if (config.clipSample()) {
            Predictions.clip(x0, config.clipSampleRange());
        }
        // As in DDIMScheduler: with use_clipped_model_output the epsilon agrees with the clipped x0,
        // so that inversion runs the same update as the sampling it inverts. (diffusers' inverse
        // scheduler has no such option and always takes the raw epsilon.)
        float[] eps = config.useClippedModelOutput()
                ? Predictions.epsilonFrom(x0, sample, alpha, sigma)
                : Predictions.epsilon(config.predictionType(), modelOutput, sample, alpha, sigma);
        float[] next = combine(Math.sqrt(abarNext), x0, Math.sqrt(1 - abarNext), eps);
        return new StepOutput(next, x0);
    }
}
