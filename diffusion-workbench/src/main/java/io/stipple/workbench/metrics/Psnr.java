package io.stipple.workbench.metrics;

import java.util.Arrays;

/**
 * Peak signal-to-noise ratio, 10 log10(range^2 / MSE) in dB. The engine's images span [-1, 1], so
 * {@link #RANGE} is 2. Identical images give +infinity.
 */
public final class Psnr {

    /** The value range of engine images ([-1, 1]). */
    public static final double RANGE = 2.0;

    private Psnr() {
    }

    /** PSNR of two equally long arrays (any layout) with value range {@link #RANGE}. */
    public static double of(float[] a, float[] b) {
        return of(a, b, RANGE);
    }

    public static double of(float[] a, float[] b, double range) {
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException("need equal, non-empty arrays: " + a.length + " vs " + b.length);
        }
        double squared = 0;
        for (int i = 0; i < a.length; i++) {
            double diff = a[i] - b[i];
            squared += diff * diff;
        }
        double mse = squared / a.length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(range * range / mse);
    }

    /**
     * The mean of per-image PSNRs over an NHWC batch (how SR papers report it). If any pair is
     * identical the mean is +infinity.
     */
    public static double meanOverBatch(float[] a, float[] b, int count) {
        if (a.length != b.length || count < 1 || a.length % count != 0) {
            throw new IllegalArgumentException("batch of " + count + " does not divide " + a.length + " values");
        }
        int stride = a.length / count;
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += of(Arrays.copyOfRange(a, i * stride, (i + 1) * stride),
                    Arrays.copyOfRange(b, i * stride, (i + 1) * stride));
        }
        return sum / count;
    }
}
