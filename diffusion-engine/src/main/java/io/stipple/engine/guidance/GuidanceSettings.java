package io.stipple.engine.guidance;

/**
 * Classifier-free guidance parameters.
 *
 * @param scale          guidance weight w: {@code uncond + w (cond - uncond)}; 1 disables guidance
 *                       (and its second half of the batch)
 * @param rescale        guidance rescale phi in [0, 1] (Lin et al. 2023, section 3.4): blends the
 *                       guided output with a copy rescaled to the conditional output's std
 * @param intervalLow    guidance only applies for timesteps in [intervalLow, intervalHigh]
 *                       (Kynkaanniemi et al. 2024); outside it the conditional output is used
 * @param intervalHigh   upper end of that interval
 */
public record GuidanceSettings(double scale, double rescale, double intervalLow, double intervalHigh) {

    public GuidanceSettings {
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("guidance scale must be a finite value >= 0, got " + scale);
        }
        if (!(rescale >= 0 && rescale <= 1)) {
            throw new IllegalArgumentException("guidance rescale must be in [0, 1], got " + rescale);
        }
        if (!(intervalLow <= intervalHigh)) {
            throw new IllegalArgumentException("guidance interval [" + intervalLow + ", " + intervalHigh + "] is empty");
        }
    }

    /** Plain classifier-free guidance at every step. */
    public static GuidanceSettings scale(double scale) {
        return new GuidanceSettings(scale, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);
    }

    public GuidanceSettings withRescale(double phi) {
        return new GuidanceSettings(scale, phi, intervalLow, intervalHigh);
    }

    public GuidanceSettings withInterval(double low, double high) {
        return new GuidanceSettings(scale, rescale, low, high);
    }

    /** Whether the unconditional pass is needed at this timestep. */
    public boolean guides(float timestep) {
        return scale != 1.0 && timestep >= intervalLow && timestep <= intervalHigh;
    }
}
