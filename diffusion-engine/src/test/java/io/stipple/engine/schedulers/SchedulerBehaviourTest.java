package io.stipple.engine.schedulers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.GaussianOracle;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.noise.NoiseSource;
import io.stipple.engine.noise.PhiloxNoise;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerBehaviourTest {

    @Test
    void everySchedulerRefusesToStepBeforeSetTimesteps() {
        for (String name : SchedulerConfigs.supportedClasses()) {
            Scheduler s = SchedulerConfigs.create(SchedulerConfigs.defaults(name));
            var e = assertThrows(IllegalStateException.class,
                    () -> s.step(new float[4], 999, new float[4], PhiloxNoise.of(1)), name);
            assertTrue(e.getMessage().contains("setTimesteps"), name + ": " + e.getMessage());
        }
    }

    @Test
    void ddimInversionRoundTripsAnImage() {
        // Inversion evaluates the model one level off (at the target timestep), so the round trip
        // is exact only as steps -> infinity: the error must be small and shrink like 1/steps.
        double coarse = inversionRoundTripError(50);
        double fine = inversionRoundTripError(250);
        assertTrue(fine < 0.02, "round trip error at 250 steps " + fine);
        assertTrue(fine < coarse / 3, "error must shrink with steps: " + coarse + " -> " + fine);
    }

    /** Max |image - DDIM(DDIM^-1(image))| with eta = 0 and an exact Gaussian-data model. */
    private static double inversionRoundTripError(int steps) {
        Map<String, Object> config = Map.of("clip_sample", false, "set_alpha_to_one", false);
        DDIMInverseScheduler inverse = new DDIMInverseScheduler(SchedulerConfigs.defaults("DDIMInverseScheduler", config));
        DDIMScheduler forward = new DDIMScheduler(SchedulerConfigs.defaults("DDIMScheduler", config));
        inverse.setTimesteps(steps);
        forward.setTimesteps(steps);
        GaussianOracle model = new GaussianOracle(0.2, 0.5, PredictionType.EPSILON, forward::noiseLevel);
        float[] image = PhiloxNoise.gaussian(new PhiloxNoise.ImageKey(5, 0), 0, 256);
        for (int i = 0; i < image.length; i++) {
            image[i] = 0.2f + 0.5f * image[i];
        }
        NoiseSource noise = PhiloxNoise.of(0);
        float[] x = image;
        for (float t : inverse.timesteps()) {
            x = inverse.step(model.predict(Tensor.of(x, 1, 16, 16, 1), new float[] {t}, Conditioning.none(1)), t, x, noise)
                    .prevSample();
        }
        for (float t : forward.timesteps()) {
            x = forward.step(model.predict(Tensor.of(x, 1, 16, 16, 1), new float[] {t}, Conditioning.none(1)), t, x, noise)
                    .prevSample();
        }
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(x[i] - image[i]));
        }
        return worst;
    }

    @Test
    void ddimWithClippedModelOutputStepsWithTheEpsilonOfTheClippedX0() {
        Map<String, Object> config = Map.of("clip_sample", true, "prediction_type", "v_prediction");
        DDIMScheduler raw = new DDIMScheduler(SchedulerConfigs.defaults("DDIMScheduler", config));
        DDIMScheduler consistent = new DDIMScheduler(SchedulerConfigs.defaults("DDIMScheduler",
                Map.of("clip_sample", true, "prediction_type", "v_prediction", "use_clipped_model_output", true)));
        raw.setTimesteps(50);
        consistent.setTimesteps(50);
        float t = raw.timesteps()[25];
        float[] sample = PhiloxNoise.gaussian(new PhiloxNoise.ImageKey(3, 0), 0, 64);
        float[] output = PhiloxNoise.gaussian(new PhiloxNoise.ImageKey(4, 0), 0, 64);
        for (int i = 0; i < output.length; i++) {
            output[i] *= 4; // a strongly guided output: its x0 leaves [-1, 1]
        }
        float[] a = raw.step(output, t, sample, PhiloxNoise.of(0)).prevSample();
        float[] b = consistent.step(output, t, sample, PhiloxNoise.of(0)).prevSample();

        NoiseLevel now = consistent.noiseLevel((int) t);
        NoiseLevel prev = consistent.noiseLevel((int) t - 1000 / 50);
        float[] x0 = Predictions.originalSample(PredictionType.V_PREDICTION, output, sample, now.alpha(), now.sigma());
        Predictions.clip(x0, 1.0);
        double largest = 0;
        for (int i = 0; i < b.length; i++) {
            double eps = (sample[i] - now.alpha() * x0[i]) / now.sigma();
            assertEquals(prev.alpha() * x0[i] + prev.sigma() * eps, b[i], 1e-4, "element " + i);
            largest = Math.max(largest, Math.abs(a[i] - b[i]));
        }
        assertTrue(largest > 0.1, "the raw-epsilon update must differ when clipping bites, max diff " + largest);
    }

    @Test
    void ddimInversionWithClippedModelOutputStepsWithTheEpsilonOfTheClippedX0() {
        // The ddim sampler choice steps with the epsilon of the clipped x0; an inversion meant to pair
        // with it must run the same update. (With an exact model on in-range images clipping hardly
        // bites: the round trip above changes by < 1e-6. It matters for strongly guided outputs.)
        DDIMInverseScheduler raw = new DDIMInverseScheduler(SchedulerConfigs.defaults("DDIMInverseScheduler",
                Map.of("clip_sample", true, "prediction_type", "v_prediction")));
        DDIMInverseScheduler consistent = new DDIMInverseScheduler(SchedulerConfigs.defaults("DDIMInverseScheduler",
                Map.of("clip_sample", true, "prediction_type", "v_prediction", "use_clipped_model_output", true)));
        raw.setTimesteps(50);
        consistent.setTimesteps(50);
        float t = consistent.timesteps()[25];
        float[] sample = PhiloxNoise.gaussian(new PhiloxNoise.ImageKey(3, 0), 0, 64);
        float[] output = PhiloxNoise.gaussian(new PhiloxNoise.ImageKey(4, 0), 0, 64);
        for (int i = 0; i < output.length; i++) {
            output[i] *= 4; // a strongly guided output: its x0 leaves [-1, 1]
        }
        float[] a = raw.step(output, t, sample, PhiloxNoise.of(0)).prevSample();
        float[] b = consistent.step(output, t, sample, PhiloxNoise.of(0)).prevSample();

        NoiseLevel from = consistent.noiseLevel((int) t - 1000 / 50);
        NoiseLevel to = consistent.noiseLevel((int) t);
        float[] x0 = Predictions.originalSample(PredictionType.V_PREDICTION, output, sample, from.alpha(), from.sigma());
        Predictions.clip(x0, 1.0);
        double largest = 0;
        for (int i = 0; i < b.length; i++) {
            double eps = (sample[i] - from.alpha() * x0[i]) / from.sigma();
            assertEquals(to.alpha() * x0[i] + to.sigma() * eps, b[i], 1e-4, "element " + i);
            largest = Math.max(largest, Math.abs(a[i] - b[i]));
        }
        assertTrue(largest > 0.1, "the raw-epsilon update must differ when clipping bites, max diff " + largest);
    }

    @Test
    void ddpmEqualsDdimWithEtaOneDrawForDraw() {
        Map<String, Object> config = Map.of("clip_sample", false, "timestep_spacing", "trailing");
        Scheduler ddpm = SchedulerConfigs.create(SchedulerConfigs.defaults("DDPMScheduler", config));
        Scheduler ddim = new DDIMScheduler(SchedulerConfigs.defaults("DDIMScheduler", config), 1.0);
        float[] a = DiffusersFixtures.fullLoop(ddpm, 20);
        float[] b = DiffusersFixtures.fullLoop(ddim, 20);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-5, "element " + i);
        }
    }

    @Test
    void trainingTargetsAreWhatTheSamplersInvert() {
        float[] x0 = PhiloxNoise.gaussian(new PhiloxNoise.ImageKey(1, 0), 0, 64);
        float[] eps = PhiloxNoise.gaussian(new PhiloxNoise.ImageKey(2, 0), 0, 64);
        int[] t = {10, 500};
        for (PredictionType type : PredictionType.values()) {
            DDIMScheduler ddim = new DDIMScheduler(SchedulerConfigs.defaults("DDIMScheduler",
                    Map.of("clip_sample", false, "prediction_type", type.wireName())));
            NoiseSchedule schedule = ddim.schedule();
            float[] noisy = ddim.addNoise(x0, eps, t);
            float[] target = schedule.trainingTarget(type, x0, eps, t);
            for (int b = 0; b < 2; b++) {
                float[] row = java.util.Arrays.copyOfRange(noisy, b * 32, b * 32 + 32);
                float[] out = java.util.Arrays.copyOfRange(target, b * 32, b * 32 + 32);
                NoiseLevel level = ddim.noiseLevel(t[b]);
                float[] recovered = Predictions.originalSample(type, out, row, level.alpha(), level.sigma());
                for (int i = 0; i < 32; i++) {
                    assertEquals(x0[b * 32 + i], recovered[i], 2e-3, type + " t=" + t[b]);
                }
            }
        }
    }

    @Test
    void dynamicThresholdingClampsEachImageAtItsOwnPercentile() {
        float[] x0 = new float[200];
        for (int i = 0; i < 100; i++) {
            x0[i] = (i - 50) / 10f;          // image 0 spans [-5, 4.9]
            x0[100 + i] = (i - 50) / 100f;    // image 1 spans [-0.5, 0.49]
        }
        Predictions.threshold(x0, 2, 0.9, 3.0);
        // image 0: the 0.9-quantile of |x| is 4.5 -> clamped to sample_max_value 3, then divided by 3
        assertEquals(-1.0f, x0[0]);
        assertEquals(1.0f, x0[99]);
        assertEquals(0.1f / 3, x0[51], 1e-6);
        // image 1: quantile below 1 -> s = 1, unchanged
        assertEquals(-0.5f, x0[100]);
    }

    @Test
    void addNoiseIsPerExampleAndBatchMajor() {
        Scheduler ddpm = SchedulerConfigs.create(SchedulerConfigs.defaults("DDPMScheduler"));
        float[] x0 = {1, 1, 1, 1};
        float[] noise = {0, 0, 1, 1};
        float[] out = ddpm.addNoise(x0, noise, new int[] {0, 999});
        NoiseLevel first = ddpm.noiseLevel(0);
        NoiseLevel last = ddpm.noiseLevel(999);
        assertArrayEquals(new float[] {(float) first.alpha(), (float) first.alpha(),
                (float) (last.alpha() + last.sigma()), (float) (last.alpha() + last.sigma())}, out, 1e-6f);
    }
}
