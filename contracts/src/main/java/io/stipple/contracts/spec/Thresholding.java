package io.stipple.contracts.spec;

/**
 * Dynamic thresholding of the predicted x0 (Saharia et al. 2022, "Imagen"): each step, the
 * {@code ratio} percentile of |x0| (at least 1, at most {@code maxValue}) becomes the clip bound.
 *
 * @param ratio    percentile of absolute pixel values, e.g. 0.995
 * @param maxValue upper bound of the clip threshold, e.g. 1.5
 */
public record Thresholding(double ratio, double maxValue) {
}
