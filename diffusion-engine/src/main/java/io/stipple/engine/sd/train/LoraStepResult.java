package io.stipple.engine.sd.train;

/**
 * What one LoRA training step measured before its update.
 *
 * @param step          0-based index of the update
 * @param instanceLoss  mean squared error over the instance examples
 * @param priorLoss     mean squared error over the class examples (0 without prior preservation)
 * @param loss          instanceLoss + prior_loss_weight * priorLoss, what was differentiated
 * @param gradientNorm  global L2 norm of the gradients before clipping
 */
public record LoraStepResult(long step, float instanceLoss, float priorLoss, float loss, float gradientNorm) {
}
