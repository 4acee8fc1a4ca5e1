package io.stipple.engine.sd.train;

import io.stipple.engine.denoise.Tensor;
import java.util.Arrays;

/**
 * One training step's U-Net inputs, instance examples first (diffusers' DreamBooth collate order):
 * the noisy latents, their timesteps, the text encoder's states for each example's prompt, and the
 * regression target for the scheduler's prediction type.
 *
 * @param noisyLatents         [B, h, w, C] NHWC
 * @param timesteps            [B] training timesteps
 * @param encoderHiddenStates  [B, L, D]
 * @param target               like {@code noisyLatents}
 * @param instanceCount        the first {@code instanceCount} examples are instance examples; the
 *                             rest are class (prior-preservation) examples
 */
public record LoraStepBatch(Tensor noisyLatents, int[] timesteps, Tensor encoderHiddenStates, Tensor target,
        int instanceCount) {

    public LoraStepBatch {
        int batch = noisyLatents.batchSize();
        if (timesteps.length != batch || encoderHiddenStates.batchSize() != batch
                || !Arrays.equals(target.shape(), noisyLatents.shape())) {
            throw new IllegalArgumentException("a training batch of " + batch + " latents "
                    + Arrays.toString(noisyLatents.shape()) + " has " + timesteps.length + " timesteps, "
                    + encoderHiddenStates.batchSize() + " text states and a target of " + Arrays.toString(target.shape()));
        }
        if (instanceCount < 1 || instanceCount > batch) {
            throw new IllegalArgumentException("instance examples " + instanceCount + " must be 1 to the batch size " + batch);
        }
        timesteps = timesteps.clone();
    }

    /** Per-example weights whose weighted sum of per-example mean squared errors is the instance loss's mean. */
    float[] instanceWeights() {
        return weights(0, instanceCount);
    }

    /** The same for the class examples (all zero without prior preservation). */
    float[] priorWeights() {
        return weights(instanceCount, timesteps.length);
    }

    private float[] weights(int from, int to) {
        float[] weights = new float[timesteps.length];
        for (int i = from; i < to; i++) {
            weights[i] = 1f / (to - from);
        }
        return weights;
    }

    @Override
    public int[] timesteps() {
        return timesteps.clone();
    }
}
