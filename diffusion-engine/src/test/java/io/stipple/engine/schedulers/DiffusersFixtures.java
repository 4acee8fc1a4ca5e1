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
        return dummySampleDeter(ELEMENTS);
    }

    /** The same for another sample size (UniPC's 1-D tests use 4 x 3 x 8 = 96 elements). */
    static float[] dummySampleDeter(int elements) {
        float[] out = new float[elements];
        int per = elements / BATCH;
        for (int b = 0; b < BATCH; b++) {
            for (int k = 0; k < per; k++) {
                // element (c, h, w) of image b had flat index k * B + b before the permute
                out[b * per + k] = (float) (k * BATCH + b) / elements;
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

    /** {@code dummy_noise_deter}: like the sample but from arange(N) flipped. */
    static float[] dummyNoiseDeter(int elements) {
        float[] out = new float[elements];
        int per = elements / BATCH;
        for (int b = 0; b < BATCH; b++) {
            for (int k = 0; k < per; k++) {
                out[b * per + k] = (float) (elements - 1 - (k * BATCH + b)) / elements;
            }
        }
        return out;
    }

    /**
     * The loop of diffusers' scheduler tests: {@code sample = scale_model_input(sample, t)}; {@code
     * out = model(sample, t)}; {@code sample = step(out, t, sample)}. Note that these tests hand the
     * <em>scaled</em> sample to {@code step} (a quirk of the tests, not of the pipelines); for
     * schedulers without input scaling it is the ordinary loop.
     */
    static float[] fullLoop(Scheduler scheduler, int steps) {
        return fullLoop(scheduler, steps, ELEMENTS);
    }

    static float[] fullLoop(Scheduler scheduler, int steps, int elements) {
        scheduler.setTimesteps(steps);
        float[] sample = dummySampleDeter(elements);
        for (int i = 0; i < sample.length; i++) {
            sample[i] *= scheduler.initNoiseSigma();
        }
        return loopFrom(scheduler, sample, 0);
    }

    /**
     * diffusers' {@code test_full_loop_with_noise}: the sample (times init_noise_sigma) is noised
     * with {@code dummy_noise_deter} to the timestep at {@code tStart * order} and the loop runs
     * from there.
     */
    static float[] fullLoopWithNoise(Scheduler scheduler, int steps, int tStart) {
        return fullLoopWithNoise(scheduler, steps, tStart, ELEMENTS);
    }

    static float[] fullLoopWithNoise(Scheduler scheduler, int steps, int tStart, int elements) {
        scheduler.setTimesteps(steps);
        float[] sample = dummySampleDeter(elements);
        for (int i = 0; i < sample.length; i++) {
            sample[i] *= scheduler.initNoiseSigma();
        }
        int start = tStart * scheduler.order();
        // add_noise(sample, noise, timesteps[:1]); Euler-type timesteps are fractional, so this goes
        // through noiseLevel (addNoise takes integer training timesteps).
        sample = scheduler.noiseLevel(scheduler.timesteps()[start]).apply(sample, dummyNoiseDeter(elements));
        return loopFrom(scheduler, sample, start);
    }

    private static float[] loopFrom(Scheduler scheduler, float[] sample, int start) {
        NoiseSource noise = batchNoise();
        float[] ts = scheduler.timesteps();
        for (int i = start; i < ts.length; i++) {
            sample = scheduler.scaleModelInput(sample, ts[i]);
            float[] out = dummyModel(sample, ts[i]);
            sample = scheduler.step(out, ts[i], sample, noise).prevSample();
        }
        return sample;
    }

    static Scheduler create(String className, Map<String, ?> config) {
        return SchedulerConfigs.create(SchedulerConfigs.defaults(className, config));
    }

    static float[] fullLoop(String className, Map<String, ?> config, int steps) {
        return fullLoop(create(className, config), steps);
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
