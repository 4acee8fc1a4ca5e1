package io.stipple.engine.sd.train;

import io.stipple.engine.training.AdamWConfig;

/**
 * How a LoRA fine-tune of an SD U-Net optimises, as diffusers' {@code train_dreambooth_lora.py}.
 *
 * @param lora            the adapters
 * @param optimizer       AdamW settings
 * @param priorLossWeight weight of the class examples' loss ({@code --prior_loss_weight})
 * @param maxGradNorm     global gradient norm clipped to ({@code --max_grad_norm}); 0 disables clipping
 */
public record LoraTrainingConfig(LoraSpec lora, AdamWConfig optimizer, double priorLossWeight, float maxGradNorm) {

    /** The script's defaults: max_grad_norm 1, prior_loss_weight 1, AdamW's DreamBooth defaults at {@code learningRate}. */
    public static LoraTrainingConfig dreamBooth(LoraSpec lora, double learningRate) {
        return new LoraTrainingConfig(lora, AdamWConfig.dreamBooth(learningRate), 1.0, 1f);
    }

    public LoraTrainingConfig {
        if (!(priorLossWeight >= 0) || !(maxGradNorm >= 0)) {
            throw new IllegalArgumentException("prior loss weight " + priorLossWeight + " and max grad norm " + maxGradNorm
                    + " must be >= 0");
        }
    }
}
