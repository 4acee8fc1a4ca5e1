package io.stipple.engine.guidance;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.schedulers.NoiseLevel;
import io.stipple.engine.schedulers.PredictionType;
import io.stipple.engine.schedulers.Scheduler;

/**
 * Classifier guidance (Dhariwal & Nichol 2021, algorithm 2 in its DDIM form, eq. 14): shifts the
 * noise prediction against the classifier's gradient, {@code eps' = eps - s sqrt(1 - abar_t)
 * grad_x log p(y | x_t)}, which adds {@code s grad log p(y | x_t)} to the score. Works with any
 * scheduler: {@code sqrt(1 - abar_t)} is read from its noise level. Requires an epsilon-predicting
 * model.
 */
public final class ClassifierGuidance implements StepModel {

    private final StepModel model;
    private final ClassifierGradient gradient;
    private final double scale;
    private final Scheduler scheduler;

    public ClassifierGuidance(StepModel model, ClassifierGradient gradient, double scale, Scheduler scheduler) {
        if (scheduler.config().predictionType() != PredictionType.EPSILON) {
            throw new IllegalArgumentException("classifier guidance needs prediction_type epsilon, the scheduler has "
                    + scheduler.config().predictionType().wireName());
        }
        this.model = model;
        this.gradient = gradient;
        this.scale = scale;
        this.scheduler = scheduler;
    }

    @Override
    public float[] predict(Tensor sample, float timestep) {
        float[] eps = model.predict(sample, timestep);
        if (scale == 0) {
            return eps;
        }
        float[] grad = gradient.gradLogProbability(sample, timestep);
        double coefficient = scale * sqrtOneMinusAlphaBar(scheduler.noiseLevel(timestep));
        float[] out = new float[eps.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (eps[i] - coefficient * grad[i]);
        }
        return out;
    }

    /** sqrt(1 - abar) from a level (alpha, sigma) in either parameterisation: sigma/alpha = sqrt((1-abar)/abar). */
    static double sqrtOneMinusAlphaBar(NoiseLevel level) {
        double ratio = level.sigma() / level.alpha();
        return ratio / Math.sqrt(1 + ratio * ratio);
    }
}
