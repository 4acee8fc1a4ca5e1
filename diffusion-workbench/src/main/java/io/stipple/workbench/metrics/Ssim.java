package io.stipple.workbench.metrics;

import io.stipple.engine.image.RgbImage;

/**
 * Structural similarity (Wang, Bovik, Sheikh, Simoncelli 2004) with the standard settings: an
 * 11x11 Gaussian window with sigma 1.5, K1 = 0.01, K2 = 0.03, data range L = 2 for [-1, 1]
 * images. As in TensorFlow's {@code tf.image.ssim}, the window is applied only where it fits
 * ("valid" filtering, no padding), SSIM is computed per channel, and the map is averaged over
 * positions and channels. Documented variant: for images smaller than 11 pixels the window
 * shrinks to the image's smaller side (same sigma), so 8x8 images still get a score.
 */
public final class Ssim {

    public static final int WINDOW = 11;
    public static final double SIGMA = 1.5;
    private static final double K1 = 0.01;
    private static final double K2 = 0.03;

    private Ssim() {
    }

    public static double of(RgbImage a, RgbImage b) {
        return of(a, b, Psnr.RANGE);
    }

    public static double of(RgbImage a, RgbImage b, double range) {
        if (a.height() != b.height() || a.width() != b.width()) {
            throw new IllegalArgumentException("images differ in size: " + a.height() + "x" + a.width()
                    + " vs " + b.height() + "x" + b.width());
        }
        int window = Math.min(WINDOW, Math.min(a.height(), a.width()));
        double[] weights = gaussian(window);
        double c1 = (K1 * range) * (K1 * range);
        double c2 = (K2 * range) * (K2 * range);
        double total = 0;
        int count = 0;
        for (int c = 0; c < RgbImage.CHANNELS; c++) {
            for (int top = 0; top + window <= a.height(); top++) {
                for (int left = 0; left + window <= a.width(); left++) {
                    double muA = 0;
                    double muB = 0;
                    double aa = 0;
                    double bb = 0;
                    double ab = 0;
                    for (int y = 0; y < window; y++) {
                        for (int x = 0; x < window; x++) {
                            double w = weights[y] * weights[x];
                            double va = a.get(top + y, left + x, c);
                            double vb = b.get(top + y, left + x, c);
                            muA += w * va;
                            muB += w * vb;
                            aa += w * va * va;
                            bb += w * vb * vb;
                            ab += w * va * vb;
                        }
                    }
                    double varA = aa - muA * muA;
                    double varB = bb - muB * muB;
                    double cov = ab - muA * muB;
                    total += (2 * muA * muB + c1) * (2 * cov + c2)
                            / ((muA * muA + muB * muB + c1) * (varA + varB + c2));
                    count++;
                }
            }
        }
        return total / count;
    }

    /** Mean SSIM over the images of two square NHWC batches. */
    public static double meanOverBatch(float[] a, float[] b, int count, int size) {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += of(RgbImage.fromBatch(a, i, size, size), RgbImage.fromBatch(b, i, size, size));
        }
        return sum / count;
    }

    /** Normalised 1-D Gaussian taps; the 2-D window is their outer product. */
    private static double[] gaussian(int size) {
        double[] taps = new double[size];
        double centre = (size - 1) / 2.0;
        double sum = 0;
        for (int i = 0; i < size; i++) {
            taps[i] = Math.exp(-(i - centre) * (i - centre) / (2 * SIGMA * SIGMA));
            sum += taps[i];
        }
        for (int i = 0; i < size; i++) {
            taps[i] /= sum;
        }
        return taps;
    }
}
