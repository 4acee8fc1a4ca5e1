package io.stipple.engine.schedulers;

import io.stipple.engine.noise.NoiseSource;

/**
 * One sampling algorithm over a noise schedule, with diffusers' calling convention. Arrays are
 * batch-major flattened NHWC samples; a scheduler holds per-run state (the timesteps, and for
 * multistep algorithms the history), so use one instance per sampling loop.
 *
 * <p>Typical loop: {@code setTimesteps(n)}; {@code x = noise * initNoiseSigma()}; for each
 * {@code t} in {@code timesteps()}: {@code out = model(scaleModelInput(x, t), t)}; {@code x =
 * step(out, t, x, noise).prevSample()}.
 */
public interface Scheduler {

    SchedulerConfig config();

    /** Chooses the {@code numInferenceSteps} sampling timesteps and resets any step history. */
    void setTimesteps(int numInferenceSteps);

    /**
     * The model timesteps in sampling order (noisiest first), one per model evaluation; fractional
     * for Euler-type schedulers, repeated where a step needs two evaluations (Heun, PNDM's PRK).
     *
     * @throws IllegalStateException before {@link #setTimesteps}
     */
    float[] timesteps();

    /**
     * Advances the sample by one model evaluation.
     *
     * @param modelOutput the denoiser's prediction for {@code sample} at {@code timestep}
     * @param timestep    the current entry of {@link #timesteps()}
     * @param sample      the current sample (not modified)
     * @param noise       the batch's noise source: ancestral and DDPM steps draw from it, and it
     *                    gives the batch size (per-image thresholding needs it)
     * @throws IllegalStateException before {@link #setTimesteps}
     */
    StepOutput step(float[] modelOutput, float timestep, float[] sample, NoiseSource noise);

    /**
     * Noises clean samples to training timesteps: {@code batch = timesteps.length}, one timestep per
     * example. This is what training uses (with {@link NoiseSchedule#trainingTarget}).
     */
    float[] addNoise(float[] originalSamples, float[] noise, int[] timesteps);

    /** What the model sees at {@code timestep} (Euler-type schedulers divide by sqrt(sigma^2+1)). */
    float[] scaleModelInput(float[] sample, float timestep);

    /** Standard deviation of the initial noise: 1 for DDPM-type, sigma_max-like for Euler-type. */
    float initNoiseSigma();

    /** Model evaluations per solver step in diffusers' sense (2 for Heun, 1 otherwise). */
    int order();

    /**
     * How noisy a sample at this timestep is in this scheduler's sample space: {@code x = alpha *
     * x0 + sigma * eps}. Works for every entry of {@link #timesteps()} and for integer training
     * timesteps; image-to-image and inpainting loops use it to noise known images.
     */
    NoiseLevel noiseLevel(float timestep);
}
