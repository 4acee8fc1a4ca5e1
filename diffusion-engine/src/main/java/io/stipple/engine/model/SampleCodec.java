package io.stipple.engine.model;

import io.stipple.engine.denoise.Tensor;

/**
 * Between images and the samples a model's denoiser works on. Pipelines sample in sample space and
 * decode once at the end; clamping to [-1, 1] applies to the decoded images, never to samples.
 * Pixel-space models (the bundled ones) use {@link #identity}; a latent model's codec is its VAE.
 *
 * <p>Images are NHWC RGB floats in [-1, 1].
 */
public interface SampleCodec {

    /** {@code [height, width, channels]} of one sample for an image of {@code size}. */
    int[] sampleShape(ImageSize size);

    /** Images to samples (image-to-image and inpainting starts); deterministic. */
    Tensor encode(Tensor images);

    /** Samples to images, not clamped. */
    Tensor decode(Tensor samples);

    /**
     * An inpainting keep-mask given per image value ({@code [B, H, W, 3]}: 1 keeps, 0 repaints) as a
     * keep-mask per sample value ({@code [B, h, w, c]} of {@link #sampleShape}).
     */
    Tensor maskToSamples(Tensor keepMask);

    /** Whether samples are the images themselves (what pixel-space-only features such as classifier guidance need). */
    boolean pixelSpace();

    /** Samples are images: every method returns its input. */
    static SampleCodec identity(int channels) {
        return new SampleCodec() {
            @Override
            public int[] sampleShape(ImageSize size) {
                return new int[] {size.height(), size.width(), channels};
            }

            @Override
            public Tensor encode(Tensor images) {
                return images;
            }

            @Override
            public Tensor decode(Tensor samples) {
                return samples;
            }

            @Override
            public Tensor maskToSamples(Tensor keepMask) {
                return keepMask;
            }

            @Override
            public boolean pixelSpace() {
                return true;
            }
        };
    }
}
