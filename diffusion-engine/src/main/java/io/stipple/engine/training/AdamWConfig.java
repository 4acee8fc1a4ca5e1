package io.stipple.engine.training;

/**
 * Settings of {@link AdamW}, named as {@code torch.optim.AdamW} names them.
 *
 * @param learningRate {@code lr}, constant
 * @param beta1        first-moment decay
 * @param beta2        second-moment decay
 * @param epsilon      {@code eps}, added to the bias-corrected root of the second moment
 * @param weightDecay  decoupled weight decay: each step multiplies the weights by {@code 1 - lr * weight_decay}
 */
public record AdamWConfig(double learningRate, double beta1, double beta2, double epsilon, double weightDecay) {

    /** diffusers' DreamBooth defaults ({@code --adam_beta1 0.9 --adam_beta2 0.999 --adam_epsilon 1e-8 --adam_weight_decay 1e-2}). */
    public static AdamWConfig dreamBooth(double learningRate) {
        return new AdamWConfig(learningRate, 0.9, 0.999, 1e-8, 1e-2);
    }

    public AdamWConfig {
        if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon >= 0)
                || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("invalid AdamW settings " + this);
        }
    }
}
