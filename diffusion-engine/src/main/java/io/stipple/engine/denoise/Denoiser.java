package io.stipple.engine.denoise;

/**
 * The model contract: given noisy samples, their timesteps and conditioning, return the network's
 * prediction (noise, velocity or clean sample, as the scheduler's {@code prediction_type} says).
 *
 * <p><b>It returns the raw network output, not the denoised sample</b>, despite the name: this is
 * diffusers' {@code model_output}, not k-diffusion's or EDM's denoiser {@code D(x, sigma)} (which
 * always returns an x0 estimate). Turning the output into x0 or noise is the scheduler's job (its
 * {@code step}, which knows the step's noise level), and classifier-free guidance combines raw outputs.
 * An implementation must not convert, clip or rescale what the network gives.
 *
 * <p>Independent of how the network is built: the engine's implementation runs a TensorFlow
 * SavedModel, tests use closed-form models. Implementations must be pure functions of their
 * arguments (no hidden randomness) and may assume nothing about how the batch was assembled:
 * classifier-free guidance sends conditional and unconditional rows in one call.
 */
@FunctionalInterface
public interface Denoiser {

    /**
     * @param sample       {@code [batch, H, W, C]} (NHWC) noisy samples, already scaled by the
     *                     scheduler's {@code scaleModelInput}
     * @param timesteps    one model timestep per row ({@code batch} values; fractional for
     *                     Euler-type schedulers)
     * @param conditioning named inputs with the same batch size
     * @return the prediction, same shape and layout as {@code sample}
     */
    float[] predict(Tensor sample, float[] timesteps, Conditioning conditioning);
}
