package io.stipple.engine.schedulers;

import java.util.Arrays;

/**
 * Conversions between a model output and the clean-sample (x0) and noise (eps) estimates, for a
 * sample {@code x_t = alpha * x0 + sigma * eps}; plus x0 clipping and dynamic thresholding.
 */
public final class Predictions {

    private Predictions() {
    }

    /** x0 from the model output at noise level (alpha, sigma). */
    public static float[] originalSample(PredictionType type, float[] output, float[] sample, double alpha, double sigma) {
        float[] x0 = new float[sample.length];
        for (int i = 0; i < x0.length; i++) {
            x0[i] = switch (type) {
                case EPSILON -> (float) ((sample[i] - sigma * output[i]) / alpha);
                case SAMPLE -> output[i];
                case V_PREDICTION -> (float) (alpha * sample[i] - sigma * output[i]);
            };
        }
        return x0;
    }

    /** eps from the model output at noise level (alpha, sigma). */
    static float[] epsilon(PredictionType type, float[] output, float[] sample, double alpha, double sigma) {
        float[] eps = new float[sample.length];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = switch (type) {
                case EPSILON -> output[i];
                case SAMPLE -> (float) ((sample[i] - alpha * output[i]) / sigma);
                case V_PREDICTION -> (float) (alpha * output[i] + sigma * sample[i]);
            };
        }
        return eps;
    }

    /** eps implied by an x0 estimate: {@code (x - alpha x0) / sigma}. */
    static float[] epsilonFrom(float[] x0, float[] sample, double alpha, double sigma) {
        float[] eps = new float[sample.length];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) ((sample[i] - alpha * x0[i]) / sigma);
        }
        return eps;
    }

    /**
     * Applies the config's x0 post-processing in place: dynamic thresholding if enabled, else
     * clipping if enabled.
     */
    static void clipOrThreshold(SchedulerConfig config, float[] x0, int batch) {
        if (config.thresholding()) {
            threshold(x0, batch, config.dynamicThresholdingRatio(), config.sampleMaxValue());
        } else if (config.clipSample()) {
            clip(x0, config.clipSampleRange());
        }
    }

    static void clip(float[] x0, double range) {
        float r = (float) range;
        for (int i = 0; i < x0.length; i++) {
            x0[i] = Math.max(-r, Math.min(r, x0[i]));
        }
    }

    /**
     * Dynamic thresholding (Saharia et al. 2022, Imagen section 2.3): per image, s = the {@code
     * ratio} quantile of |x0| clamped to [1, maxValue]; x0 is clamped to [-s, s] and divided by s.
     * The quantile interpolates linearly like torch.quantile.
     */
    static void threshold(float[] x0, int batch, double ratio, double maxValue) {
        if (batch <= 0 || x0.length % batch != 0) {
            throw new IllegalArgumentException("cannot split " + x0.length + " values into " + batch + " images");
        }
        int per = x0.length / batch;
        float[] abs = new float[per];
        for (int b = 0; b < batch; b++) {
            int from = b * per;
            for (int i = 0; i < per; i++) {
                abs[i] = Math.abs(x0[from + i]);
            }
            Arrays.sort(abs);
            double pos = ratio * (per - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(lo + 1, per - 1);
            double q = abs[lo] + (pos - lo) * (abs[hi] - abs[lo]);
            // torch.clamp(q, min=1, max=maxValue): the upper bound wins when maxValue < 1
            float s = (float) Math.min(Math.max(q, 1.0), maxValue);
            for (int i = from; i < from + per; i++) {
                x0[i] = Math.max(-s, Math.min(s, x0[i])) / s;
            }
        }
    }
}
