package io.stipple.engine.guidance;

import io.stipple.engine.denoise.Tensor;

/**
 * A noise-aware classifier's gradient {@code grad_x log p(y | x_t)} for each row's target class
 * (the classifier and the labels live in the implementation, e.g. a TensorFlow graph).
 */
@FunctionalInterface
public interface ClassifierGradient {

    /**
     * @param sample   the model input at this step, {@code [B, H, W, C]}
     * @param timestep the current timestep
     * @return the gradient, same layout as {@code sample}
     */
    float[] gradLogProbability(Tensor sample, float timestep);
}
