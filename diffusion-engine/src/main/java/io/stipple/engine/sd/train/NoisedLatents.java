package io.stipple.engine.sd.train;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.schedulers.NoiseSchedule;
import io.stipple.engine.schedulers.PredictionType;

/**
 * The forward diffusion of a training step, as diffusers' training scripts make it with the
 * pipeline's own noise scheduler: {@code noisy = sqrt(abar_t) x0 + sqrt(1 - abar_t) noise} and the
 * target the scheduler's {@code prediction_type} asks the network for (the noise, or the velocity).
 *
 * @param noisy  the U-Net's input
 * @param target what the U-Net should output
 */
public record NoisedLatents(Tensor noisy, Tensor target) {

    public static NoisedLatents of(NoiseSchedule schedule, PredictionType predictionType, Tensor latents, Tensor noise,
            int[] timesteps) {
        if (!java.util.Arrays.equals(latents.shape(), noise.shape())) {
            throw new IllegalArgumentException("noise " + java.util.Arrays.toString(noise.shape()) + " differs from latents "
                    + java.util.Arrays.toString(latents.shape()));
        }
        if (predictionType == PredictionType.SAMPLE) {
            throw new IllegalArgumentException("DreamBooth trains epsilon or v_prediction models; this scheduler predicts the sample");
        }
        return new NoisedLatents(latents.withData(schedule.addNoise(latents.data(), noise.data(), timesteps)),
                latents.withData(schedule.trainingTarget(predictionType, latents.data(), noise.data(), timesteps)));
    }
}
