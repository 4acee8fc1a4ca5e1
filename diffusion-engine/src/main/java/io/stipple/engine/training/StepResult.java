package io.stipple.engine.training;

/**
 * What one optimizer update measured.
 *
 * @param step 0-based index of the update
 * @param loss loss of the batch before the update
 * @param gradientNorm global gradient norm before clipping
 * @param learningRate learning rate used
 */
public record StepResult(long step, float loss, float gradientNorm, float learningRate) {
}
