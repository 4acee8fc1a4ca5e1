package io.stipple.workbench.metrics;

import io.stipple.engine.image.Resize;

/**
 * How well a super-resolution stage upscaled a batch, against ground truth and against the
 * bicubic baseline (all means over images; NHWC batches, square images, values in [-1, 1]).
 *
 * @param psnr            upscaled vs ground truth, dB
 * @param ssim            upscaled vs ground truth
 * @param bicubicPsnr     bicubic upsampling of the input vs ground truth, dB: the baseline
 * @param bicubicSsim     bicubic upsampling vs ground truth
 * @param consistencyPsnr the upscaled image area-downsampled back to the input size vs the input,
 *                        dB: does the output still agree with what it was conditioned on
 * @param images          batch size
 */
public record SuperResolutionScores(double psnr, double ssim, double bicubicPsnr, double bicubicSsim,
                                    double consistencyPsnr, int images) {

    /** PSNR gain over bicubic, dB. */
    public double gainOverBicubic() {
        return psnr - bicubicPsnr;
    }

    /**
     * @param upscaled {@code count} images of side {@code highSize}
     * @param input    the low-resolution inputs, side {@code lowSize}
     * @param truth    ground-truth images of side {@code highSize} (for rendered data: the same scenes
     *                 rendered at {@code highSize})
     */
    public static SuperResolutionScores measure(float[] upscaled, float[] input, float[] truth, int count,
                                                int lowSize, int highSize) {
        float[] bicubic = Resize.resizeBatch(input, count, lowSize, highSize, Resize.Method.BICUBIC);
        float[] back = Resize.resizeBatch(upscaled, count, highSize, lowSize, Resize.Method.AREA);
        return new SuperResolutionScores(
                Psnr.meanOverBatch(upscaled, truth, count),
                Ssim.meanOverBatch(upscaled, truth, count, highSize),
                Psnr.meanOverBatch(bicubic, truth, count),
                Ssim.meanOverBatch(bicubic, truth, count, highSize),
                Psnr.meanOverBatch(back, input, count),
                count);
    }
}
