package io.stipple.engine.schedulers;

import io.stipple.engine.noise.NoiseSource;
import io.stipple.engine.noise.PhiloxNoise;
import java.util.Map;

/**
 * Ports of the deterministic fixtures in diffusers' tests/schedulers/test_schedulers.py
 * (SchedulerCommonTest), so full loops can be compared with the result_sum / result_mean values
 * diffusers' own tests assert.
 */
final class DiffusersFixtures {

    static final int BATCH = 4;
    static final int CHANNELS = 3;
    static final int HEIGHT = 8;
    static final int WIDTH = 8;
    static final int ELEMENTS = BATCH * CHANNELS * HEIGHT * WIDTH;

    private DiffusersFixtures() {
    }

    /**
     * {@code dummy_sample_deter}: arange(N) reshaped to (C, H, W, B), divided by N, permuted to (B,
     * C, H, W). Returned batch-major; within an image the element order does not matter to any
     * scheduler (all element-wise, thresholding per image).
     */
    static float[] dummySampleDeter() {
        float[] out = new float[ELEMENTS];
        int per = ELEMENTS / BATCH;
        for (int b = 0; b < BATCH; b++) {
            for (int k = 0; k < per; k++) {
                // element (c, h, w) of image b had flat index k * B + b before the permute
                out[b * per + k] = (float) (k * BATCH + b) / ELEMENTS;
            }
        }
        return out;
    }

    /** {@code dummy_model}: {@code sample * t / (t + 1)}, t cast to float like the sample. */
    static float[] dummyModel(float[] sample, float t) {
        float[] out = new float[sample.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sample[i] * t / (t + 1);
        }
        return out;
    }

    /** A noise source for the fixture batch (only read by stochastic steps). */
    static NoiseSource batchNoise() {
        return PhiloxNoise.forImages(0, 0, BATCH);
    }

    /** The loop of diffusers' {@code full_loop}: scale, model, step over every timestep. */
    static float[] fullLoop(Scheduler scheduler, int steps) {
        scheduler.setTimesteps(steps);
        NoiseSource noise = batchNoise();
        float[] sample = dummySampleDeter();
        for (int i = 0; i < sample.length; i++) {
            sample[i] *= scheduler.initNoiseSigma();
        }
        for (float t : scheduler.timesteps()) {
            float[] in = scheduler.scaleModelInput(sample, t);
            float[] out = dummyModel(in, t);
            sample = scheduler.step(out, t, sample, noise).prevSample();
        }
        return sample;
    }

    static float[] fullLoop(String className, Map<String, ?> config, int steps) {
        return fullLoop(SchedulerConfigs.create(SchedulerConfigs.defaults(className, config)), steps);
    }

    static double absSum(float[] x) {
        double s = 0;
        for (float v : x) {
            s += Math.abs(v);
        }
        return s;
    }

    static double absMean(float[] x) {
        return absSum(x) / x.length;
    }
}
