package io.stipple.engine.training;

/**
 * Optimisation settings of a {@link Trainer}.
 *
 * @param learningRate peak Adam learning rate, reached after {@code warmupSteps}
 * @param warmupSteps steps of linear learning-rate warmup from 0
 * @param beta1 Adam first-moment decay
 * @param beta2 Adam second-moment decay
 * @param epsilon Adam denominator epsilon
 * @param clipNorm global gradient norm above which gradients are rescaled (0 disables clipping)
 * @param emaDecay decay of the exponential moving average of the weights
 */
public record TrainerConfig(float learningRate, int warmupSteps, float beta1, float beta2, float epsilon,
        float clipNorm, float emaDecay) {

    public static TrainerConfig defaults(float learningRate) {
        return new TrainerConfig(learningRate, 200, 0.9f, 0.999f, 1e-8f, 1f, 0.999f);
    }

    public TrainerConfig {
        if (learningRate <= 0 || warmupSteps < 0 || beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1
                || clipNorm < 0 || emaDecay < 0 || emaDecay >= 1) {
            throw new IllegalArgumentException("invalid trainer config " + this);
        }
    }

    /** Learning rate for the update made at {@code step} (0-based): linear warmup, then constant. */
    public float learningRateAt(long step) {
        if (warmupSteps == 0) {
            return learningRate;
        }
        return learningRate * Math.min(1f, (step + 1) / (float) warmupSteps);
    }

    /**
     * EMA decay used at {@code step}: ramps up as (1+step)/(10+step) like TensorFlow's
     * num_updates rule, so early averages are not dominated by the random initial weights.
     */
    public float emaDecayAt(long step) {
        return Math.min(emaDecay, (1f + step) / (10f + step));
    }
}
