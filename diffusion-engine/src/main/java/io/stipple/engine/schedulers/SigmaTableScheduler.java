package io.stipple.engine.schedulers;

/**
 * What the log-SNR ({@link LogSnrScheduler}) and the Karras-sigma ({@link SigmaScheduler})
 * schedulers share: a sigma for each scheduled timestep, the training schedule's sigmas for any other
 * timestep, and noising with each example's {@link #noiseLevel}, which each family defines in its own
 * sample space.
 */
abstract class SigmaTableScheduler extends AbstractScheduler {

    /** The training schedule's sigma of every training timestep ({@link NoiseSchedule#sigma}). */
    protected final double[] trainingSigmas;
    /** Sigma of each scheduled timestep, plus the final one; null until the timesteps are set. */
    protected float[] sigmas;

    protected SigmaTableScheduler(SchedulerConfig config) {
        super(config);
        this.trainingSigmas = SigmaSchedules.trainingSigmas(schedule);
    }

    /** The sigma of a scheduled timestep, else of a training timestep (interpolated if fractional). */
    protected double sigmaAt(float timestep) {
        if (sigmas != null) {
            float[] ts = requireTimesteps();
            for (int i = 0; i < ts.length; i++) {
                if (ts[i] == timestep) {
                    return sigmas[i];
                }
            }
        }
        return SigmaSchedules.interpolate(trainingSigmas, timestep);
    }

    /** {@code alpha_t * x0 + sigma_t * noise} per example, with this scheduler's {@link #noiseLevel}. */
    @Override
    public float[] addNoise(float[] originalSamples, float[] noise, int[] timesteps) {
        return NoiseLevel.applyPerExample(originalSamples, noise, timesteps, this::noiseLevel);
    }
}
