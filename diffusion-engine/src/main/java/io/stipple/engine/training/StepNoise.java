package io.stipple.engine.training;

import java.util.SplittableRandom;

/**
 * The random part of one diffusion training step: a training timestep per example, uniform over
 * the schedule, then standard Gaussian noise for every value of the batch, drawn in that order
 * from the step's stream ({@link StepRandom}), which the caller may keep drawing from.
 *
 * @param timesteps one per example
 * @param noise     one per value of the batch
 */
public record StepNoise(int[] timesteps, float[] noise) {

    public static StepNoise draw(SplittableRandom random, int examples, int values, int trainTimesteps) {
        int[] timesteps = new int[examples];
        for (int i = 0; i < examples; i++) {
            timesteps[i] = random.nextInt(trainTimesteps);
        }
        float[] noise = new float[values];
        for (int i = 0; i < values; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        return new StepNoise(timesteps, noise);
    }
}
