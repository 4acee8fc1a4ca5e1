package io.stipple.engine.noise;

/**
 * Where a sampling loop gets its Gaussian noise: the initial latent and every ancestral or DDPM
 * draw. A source serves one batch; each call is a new draw. Implementations must be deterministic
 * given how they were created (see {@link PhiloxNoise} and docs/noise.md). Not thread-safe: one
 * source per sampling loop.
 */
public interface NoiseSource {

    /** Rows in the batch this source serves. */
    int batchSize();

    /**
     * The next draw: {@code length} standard normal values, batch-major ({@code length / batchSize}
     * per image, in the same element order as the sample arrays).
     *
     * @throws IllegalArgumentException if {@code length} is not a multiple of {@link #batchSize()}
     */
    float[] nextGaussian(int length);
}
