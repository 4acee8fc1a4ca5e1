package io.stipple.engine.guidance;

import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.Denoiser;
import io.stipple.engine.denoise.Tensor;

/**
 * The model as one sampling step sees it: the scaled sample batch and the current timestep in,
 * the (possibly guided) model output out. A {@link io.stipple.engine.denoise.Denoiser} bound to
 * its conditioning ({@link #of}), or a guidance wrapper around one.
 */
@FunctionalInterface
public interface StepModel {

    /**
     * @param sample   {@code [B, H, W, C]} model input (after {@code scaleModelInput})
     * @param timestep the scheduler's current timestep, the same for every row
     * @return model output, same layout as {@code sample}
     */
    float[] predict(Tensor sample, float timestep);

    /** The denoiser with fixed conditioning and no guidance. */
    static StepModel of(Denoiser denoiser, Conditioning conditioning) {
        return (sample, t) -> denoiser.predict(sample, Timesteps.repeat(t, sample.batchSize()), conditioning);
    }
}
