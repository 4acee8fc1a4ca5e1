package io.stipple.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.Denoiser;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.guidance.ClassifierFreeGuidance;
import io.stipple.engine.guidance.GuidanceSettings;
import io.stipple.engine.noise.PhiloxNoise;
import io.stipple.engine.schedulers.Scheduler;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.weights.WeightSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine's schedulers and classifier-free guidance against the four diffusers runs of the
 * sd-tiny fixture, with the network taken out: a denoiser that checks each call's input against
 * the U-Net input diffusers recorded and answers with the U-Net output diffusers recorded. So the
 * timesteps, the initial noise scaling, {@code scale_model_input}, the CFG batch order and
 * combination and every scheduler step are checked exactly, whatever the network computes.
 */
class DiffusersRunReplayTest {

    /** Latent shape of the 128x128 runs: [1, 4, 16, 16] (the layout does not matter to elementwise steps). */
    private static final int[] LATENTS = {1, 16, 16, 4};

    @ParameterizedTest
    @ValueSource(strings = {"run_ddim", "run_pndm", "run_euler", "sd2_run_ddim"})
    void reproducesEveryStep(String run) throws Exception {
        JsonNode settings = SdTiny.description().path("runs").path(run);
        try (WeightSource reference = SdTiny.references()) {
            Scheduler scheduler = SchedulerConfigs.create(SchedulerConfigs.fromJson(settings.path("scheduler_config").toString()));
            int steps = settings.path("steps").asInt();
            int calls = settings.path("unet_calls").asInt();
            List<float[]> latentsAfter = new ArrayList<>();
            Denoiser replay = new RecordedUNet(reference, run, calls);
            Conditioning prompt = Conditioning.of("text_embedding", Tensor.of(reference.floats("run.prompt_embeds"), 1, 77, 32));
            Conditioning negative = Conditioning.of("text_embedding",
                    Tensor.of(reference.floats("run.negative_prompt_embeds"), 1, 77, 32));
            var guided = new ClassifierFreeGuidance(replay, prompt, negative,
                    GuidanceSettings.scale(settings.path("guidance_scale").asDouble()));

            Tensor result = TextToImage.sampleFrom(scheduler, guided, steps,
                    Tensor.of(reference.floats("run.latents_init"), LATENTS), PhiloxNoise.forSeeds(0),
                    (step, total, t, out) -> latentsAfter.add(out.prevSample()));

            assertArrayEquals(reference.floats(run + ".timesteps"), scheduler.timesteps(), 0f, run + " timesteps");
            assertEquals(calls, latentsAfter.size());
            for (int i = 0; i < calls; i++) {
                float[] expected = reference.floats(run + ".step" + i + ".latents_after");
                double diff = SdTiny.maxAbsDiff(expected, latentsAfter.get(i));
                assertTrue(diff <= 1e-5 * Math.max(1, SdTiny.maxAbs(expected)),
                        run + " latents after call " + i + " differ by " + diff);
            }
            double diff = SdTiny.maxAbsDiff(reference.floats(run + ".final_latents"), result.data());
            assertTrue(diff <= 1e-5 * Math.max(1, SdTiny.maxAbs(result.data())), run + " final latents differ by " + diff);
        }
    }

    /** diffusers' U-Net, replayed: call i must see the recorded input and gets the recorded output. */
    private static final class RecordedUNet implements Denoiser {
        private final WeightSource reference;
        private final String run;
        private final int calls;
        private int call;

        RecordedUNet(WeightSource reference, String run, int calls) {
            this.reference = reference;
            this.run = run;
            this.calls = calls;
        }

        @Override
        public float[] predict(Tensor sample, float[] timesteps, Conditioning conditioning) {
            assertTrue(call < calls, run + " asked the network more than " + calls + " times");
            float[] expected = reference.floats(run + ".step" + call + ".unet_in");
            double diff = SdTiny.maxAbsDiff(expected, sample.data());
            assertTrue(diff <= 1e-5 * Math.max(1, SdTiny.maxAbs(expected)),
                    run + " network input of call " + call + " differs by " + diff);
            assertArrayEquals(reference.floats("run.negative_prompt_embeds"),
                    conditioning.get("text_embedding").slice(0, 1).data(), run + ": row 0 is the unconditional one");
            return reference.floats(run + ".step" + call++ + ".unet_out");
        }
    }
}
