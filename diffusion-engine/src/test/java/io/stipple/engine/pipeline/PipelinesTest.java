package io.stipple.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.GaussianOracle;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.guidance.StepModel;
import io.stipple.engine.noise.PhiloxNoise;
import io.stipple.engine.noise.PhiloxNoise.ImageKey;
import io.stipple.engine.schedulers.Scheduler;
import io.stipple.engine.schedulers.SchedulerConfigs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelinesTest {

    private static final int[] ONE = {1, 8, 8, 3};
    private static final int PER = 8 * 8 * 3;

    private static Scheduler scheduler(String name) {
        return SchedulerConfigs.create(SchedulerConfigs.defaults(name, Map.of()));
    }

    private static StepModel oracle(Scheduler s) {
        return StepModel.of(new GaussianOracle(0.5, 0.3, s.config().predictionType(), s::noiseLevel), Conditioning.none(1));
    }

    @Test
    void anImageIsTheSameAloneOrInsideABatch() {
        for (String name : List.of("DDPMScheduler", "EulerAncestralDiscreteScheduler", "DPMSolverMultistepScheduler")) {
            Scheduler alone = scheduler(name);
            Tensor single = TextToImage.sample(alone, oracle(alone), 12, ONE,
                    PhiloxNoise.forKeys(List.of(new ImageKey(77, 1))), StepListener.NONE);
            Scheduler batched = scheduler(name);
            Tensor batch = TextToImage.sample(batched, oracle(batched), 12, new int[] {3, 8, 8, 3},
                    PhiloxNoise.forKeys(List.of(new ImageKey(5, 0), new ImageKey(77, 1), new ImageKey(77, 0))),
                    StepListener.NONE);
            assertArrayEquals(single.data(), Arrays.copyOfRange(batch.data(), PER, 2 * PER), name);
        }
    }

    @Test
    void listenerSeesEveryStep() {
        Scheduler heun = scheduler("HeunDiscreteScheduler");
        List<Integer> seen = new ArrayList<>();
        TextToImage.sample(heun, oracle(heun), 5, ONE, PhiloxNoise.of(1), (i, total, t, out) -> {
            seen.add(i);
            assertEquals(9, total);
        });
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8), seen);
    }

    @Test
    void imageToImageStartsFromTheImageNoisedToTheStrengthsTimestep() {
        Scheduler ddim = scheduler("DDIMScheduler");
        ddim.setTimesteps(10);
        assertEquals(0, ImageToImage.startIndex(ddim, 10, 1.0));
        assertEquals(5, ImageToImage.startIndex(ddim, 10, 0.5));
        Scheduler heun = scheduler("HeunDiscreteScheduler");
        heun.setTimesteps(10);
        assertEquals(6, ImageToImage.startIndex(heun, 10, 0.7));
        assertThrows(IllegalArgumentException.class, () -> ImageToImage.startIndex(ddim, 10, 0.05));

        float[] image = new float[PER];
        Arrays.fill(image, 0.25f);
        List<float[]> inputs = new ArrayList<>();
        List<Float> times = new ArrayList<>();
        StepModel recording = (sample, t) -> {
            inputs.add(sample.data());
            times.add(t);
            return new float[sample.data().length];
        };
        Scheduler s = scheduler("DDIMScheduler");
        ImageToImage.sample(s, recording, 10, 0.3, Tensor.of(image, ONE), PhiloxNoise.of(9), StepListener.NONE);
        assertEquals(3, times.size());
        float[] z = PhiloxNoise.gaussian(new ImageKey(9, 0), 0, PER);
        assertArrayEquals(s.noiseLevel(times.get(0)).apply(image, z), inputs.get(0));
    }

    @Test
    void inpaintingKeepsTheKnownRegionAndFillsTheRest() {
        float[] image = new float[PER];
        float[] keep = new float[PER];
        for (int i = 0; i < PER; i++) {
            image[i] = i < PER / 2 ? 0.9f : 0f;
            keep[i] = i < PER / 2 ? 1f : 0f;
        }
        for (int resamples : new int[] {1, 3}) {
            Scheduler ddpm = SchedulerConfigs.create(SchedulerConfigs.defaults("DDPMScheduler", Map.of("clip_sample", false)));
            Tensor out = Inpainting.sample(ddpm, oracle(ddpm), 25, Tensor.of(image, ONE), keep, resamples,
                    PhiloxNoise.of(3), StepListener.NONE);
            float[] x = out.data();
            for (int i = 0; i < PER / 2; i++) {
                assertEquals(0.9f, x[i], "known pixel " + i);
            }
            double mean = 0;
            for (int i = PER / 2; i < PER; i++) {
                mean += x[i];
            }
            mean /= PER / 2;
            assertTrue(Math.abs(mean - 0.5) < 0.15, "generated region mean " + mean);
        }
    }

    @Test
    void resamplingNeedsAMarkovianScheduler() {
        Scheduler euler = scheduler("EulerDiscreteScheduler");
        var e = assertThrows(IllegalArgumentException.class, () -> Inpainting.sample(euler, oracle(euler), 10,
                Tensor.of(new float[PER], ONE), new float[PER], 2, PhiloxNoise.of(1), StepListener.NONE));
        assertTrue(e.getMessage().contains("resampl"), e.getMessage());
    }
}
