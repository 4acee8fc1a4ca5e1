package io.stipple.engine.schedulers;

/**
 * Result of one scheduler step: the less noisy sample, and the scheduler's estimate of the clean
 * sample (after clipping or thresholding), useful for previews.
 */
public record StepOutput(float[] prevSample, float[] predOriginalSample) {
}
