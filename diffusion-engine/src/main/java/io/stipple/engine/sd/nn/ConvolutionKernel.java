package io.stipple.engine.sd.nn;

/** How the SD networks built over a {@link TorchWeights} run their convolutions. */
public enum ConvolutionKernel {

    /**
     * TensorFlow's Conv2D, the default: one op with its own deterministic gradient, and no buffer
     * beyond its output (the VAE's convolutions run at pixel resolution, 512x512x128 and more).
     */
    CONV2D,

    /**
     * One matmul over the input's patches ({@link PatchConvolution}): two to six times Conv2D's rate
     * on the CPU at the U-Net's shapes, for a transient buffer k*k times the input (94 MB per 3x3
     * layer at 64x64x320, batch 2; 1.2 GB at the VAE's 512x512x128, which is why only the U-Net's
     * sampling graph asks for it). Its input feeds k*k slices, so a gradient through it is a sum of
     * k*k parts whose order TensorFlow's gradient builder does not fix: not for training, which
     * must resume bit for bit.
     */
    PATCH_MATMUL
}
