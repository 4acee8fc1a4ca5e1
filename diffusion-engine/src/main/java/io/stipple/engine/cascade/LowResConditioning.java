package io.stipple.engine.cascade;

import io.stipple.engine.image.Resize;
import io.stipple.engine.schedulers.NoiseSchedule;

/**
 * Turns low-resolution images into a super-resolution stage's {@code low_res} input, the same way
 * in training and in sampling: noise-conditioning augmentation first (Ho et al. 2022, Cascaded
 * Diffusion Models: {@code addNoise} of the stage's own schedule at an augmentation timestep, at
 * the low resolution, where a base model's errors live), then bicubic upsampling to the stage's
 * output size. The level fed as {@code aug_level} is that timestep; level 0 is the schedule's
 * first timestep, almost clean (noise std sqrt(beta_0), 0.01 for the linear schedule).
 *
 * <p>The stage generates the {@link #residual} of the output over the bicubically upsampled clean
 * input (as SRDiff, Li et al. 2022): the network starts from the bicubic guess instead of having
 * to reproduce it, which a small network trained for minutes does not manage (docs/cascade.md).
 */
public final class LowResConditioning {

    private LowResConditioning() {
    }

    /**
     * @param lowRes  {@code count} NHWC images of side {@code lowSize}, values in [-1, 1]
     * @param noise   standard normal values, same length as {@code lowRes}
     * @param levels  one augmentation timestep per image
     * @return        {@code count} NHWC images of side {@code highSize}
     */
    public static float[] prepare(float[] lowRes, int count, int lowSize, int highSize, float[] noise, int[] levels,
            NoiseSchedule schedule) {
        if (levels.length != count) {
            throw new IllegalArgumentException(count + " images but " + levels.length + " augmentation levels");
        }
        for (int level : levels) {
            if (level < 0 || level >= schedule.numTrainTimesteps()) {
                throw new IllegalArgumentException("augmentation level " + level + " outside the schedule's timesteps 0.."
                        + (schedule.numTrainTimesteps() - 1));
            }
        }
        float[] augmented = schedule.addNoise(lowRes, noise, levels);
        return Resize.resizeBatch(augmented, count, lowSize, highSize, Resize.Method.BICUBIC);
    }

    /** The clean input upsampled to the output size: what a stage's residual is added to. */
    public static float[] upsampled(float[] lowRes, int count, int lowSize, int highSize) {
        return Resize.resizeBatch(lowRes, count, lowSize, highSize, Resize.Method.BICUBIC);
    }

    /** {@code high - upsampled(low)}: the training target of a stage. */
    public static float[] residual(float[] high, float[] low, int count, int lowSize, int highSize) {
        float[] base = upsampled(low, count, lowSize, highSize);
        for (int i = 0; i < base.length; i++) {
            base[i] = high[i] - base[i];
        }
        return base;
    }
}
