package io.stipple.engine.pipeline;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.guidance.StepModel;
import io.stipple.engine.schedulers.NoiseLevel;
import io.stipple.engine.schedulers.Scheduler;

/**
 * Presents a v-predicting model as an epsilon-predicting one, for guidance that is defined on
 * epsilon (classifier guidance): with the model input x_t = sqrt(abar) x0 + sqrt(1 - abar) eps
 * and v = sqrt(abar) eps - sqrt(1 - abar) x0, eps = sqrt(abar) v + sqrt(1 - abar) x_t. abar is
 * read from the scheduler's noise level, so this holds for every scheduler whose
 * {@code scaleModelInput} hands the network the variance-preserving x_t (all supported ones).
 * Sample with an epsilon-configured scheduler over the same schedule.
 */
final class VelocityAsEpsilon implements StepModel {

    private final StepModel velocityModel;
    private final Scheduler scheduler;

    VelocityAsEpsilon(StepModel velocityModel, Scheduler scheduler) {
        this.velocityModel = velocityModel;
        this.scheduler = scheduler;
    }

    @Override
    public float[] predict(Tensor sample, float timestep) {
        float[] v = velocityModel.predict(sample, timestep);
        NoiseLevel level = scheduler.noiseLevel(timestep);
        double ratio = level.sigma() / level.alpha();
        double alphaBar = 1 / (1 + ratio * ratio);
        double a = Math.sqrt(alphaBar);
        double s = Math.sqrt(1 - alphaBar);
        float[] x = sample.data();
        float[] eps = new float[v.length];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = (float) (a * v[i] + s * x[i]);
        }
        return eps;
    }
}
