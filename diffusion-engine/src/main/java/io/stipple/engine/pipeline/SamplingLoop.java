package io.stipple.engine.pipeline;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.guidance.StepModel;
import io.stipple.engine.noise.NoiseSource;
import io.stipple.engine.schedulers.Scheduler;
import io.stipple.engine.schedulers.StepOutput;

/**
 * The denoising loop shared by text-to-image, image-to-image and inpainting: for each timestep
 * from {@code start}: scale the input, ask the model, step the scheduler, report.
 */
final class SamplingLoop {

    private SamplingLoop() {
    }

    static Tensor run(Scheduler scheduler, StepModel model, Tensor sample, int start, NoiseSource noise,
            StepListener listener) {
        float[] timesteps = scheduler.timesteps();
        float[] x = sample.data();
        for (int i = start; i < timesteps.length; i++) {
            float t = timesteps[i];
            float[] output = model.predict(sample.withData(scheduler.scaleModelInput(x, t)), t);
            StepOutput step = scheduler.step(output, t, x, noise);
            x = step.prevSample();
            listener.onStep(i - start, timesteps.length - start, t, step);
        }
        return sample.withData(x);
    }

    static float[] scaled(float[] values, double factor) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (values[i] * factor);
        }
        return out;
    }
}
