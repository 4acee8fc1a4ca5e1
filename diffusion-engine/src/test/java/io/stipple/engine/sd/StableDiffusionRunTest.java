package io.stipple.engine.sd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.guidance.GuidanceSettings;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.model.ImageSize;
import io.stipple.engine.model.ModelFamily;
import io.stipple.engine.noise.PhiloxNoise;
import io.stipple.engine.pipeline.PromptSampler;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.weights.WeightSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Latent text-to-image with the SD family against the fixture's four diffusers runs (128x128,
 * guidance 7.5, 3 steps): from {@code run.latents_init} and the prompt through the engine's own
 * tokenizer and text encoder (and, for the SD 1.x runs, from diffusers' prompt embeddings), the
 * latents after every step and the final image within 1e-3 (the fixture README's tolerance for
 * fp32 weights; a wrong epsilon or key moves the image by 0.1 to 1).
 */
class StableDiffusionRunTest {


    private static DiffusionModel sd1;
    private static DiffusionModel sd2;
    private static WeightSource reference;
    private static JsonNode fixture;

    @BeforeAll
    static void load() throws Exception {
        sd1 = DiffusionModels.open(SdTiny.SD1);
        sd2 = DiffusionModels.open(SdTiny.SD2);
        reference = SdTiny.references();
        fixture = SdTiny.description();
    }

    @AfterAll
    static void close() throws Exception {
        sd1.close();
        sd2.close();
        reference.close();
    }

    @Test
    void opensAsALatentModelOfTheStableDiffusionFamily() {
        assertEquals(ModelFamily.STABLE_DIFFUSION, sd1.identity().family());
        assertEquals(ImageSize.square(256), sd1.defaults().nativeSize()); // the U-Net's sample_size 32 x the VAE's 8
        assertArrayEquals(new int[] {16, 24, 4}, sd1.sampleShape(new ImageSize(192, 128)));
        assertTrue(!sd1.codec().pixelSpace() && sd1.textConditioned());
    }

    @ParameterizedTest
    @ValueSource(strings = {"run_ddim", "run_pndm", "run_euler"})
    void fromDiffusersEmbeddingsReachesItsLatentsAndImage(String run) {
        // run.prompt_embeds are the SD 1.x text encoder's; the SD 2.x run encodes with its own (below)
        DiffusionModel model = sd1;
        Conditioning prompt = embeddings("run.prompt_embeds");
        Conditioning negative = embeddings("run.negative_prompt_embeds");
        List<float[]> latents = new ArrayList<>();
        float[] image = sampler(model, run).sampleEncoded(prompt, negative, PhiloxNoise.forImages(0, 0, 1).keys(),
                (step, total, t, out) -> latents.add(out.prevSample()));
        assertMatchesRun(run, latents, image);
    }

    @ParameterizedTest
    @ValueSource(strings = {"run_ddim", "run_pndm", "run_euler", "sd2_run_ddim"})
    void fromThePromptReachesTheSameImage(String run) {
        // the fixture's runs: the first prompt, an empty negative prompt
        String text = fixture.path("prompts").get(0).asText();
        List<float[]> latents = new ArrayList<>();
        float[] image = sampler(run.startsWith("sd2") ? sd2 : sd1, run).sample(List.of(text), List.of(""), PhiloxNoise.forImages(0, 0, 1).keys(),
                (step, total, t, out) -> latents.add(out.prevSample()));
        assertMatchesRun(run, latents, image);
    }

    /** Seeded noise per (seed, image): an image comes out bit for bit the same alone or inside a batch, at any size. */
    @Test
    void anImageIsTheSameAloneOrInABatch() {
        List<String> prompts = List.of("a red circle on a blue background", "a photo of an astronaut riding a horse");
        PromptSampler sampler = new PromptSampler(sd1, sd1.schedulerConfig(), 2, GuidanceSettings.scale(5))
                .atSize(new ImageSize(96, 64));
        float[] both = sampler.sample(prompts, "", 11, 0);
        float[] second = sampler.sample(prompts.subList(1, 2), "", 11, 1);
        int perImage = 96 * 64 * 3;
        assertEquals(2 * perImage, both.length);
        assertArrayEquals(second, java.util.Arrays.copyOfRange(both, perImage, 2 * perImage));
        assertTrue(!java.util.Arrays.equals(java.util.Arrays.copyOfRange(both, 0, perImage), second),
                "two prompts draw two different images");
    }

    private static PromptSampler sampler(DiffusionModel model, String run) {
        return new FixtureRuns(reference, fixture).sampler(model, run);
    }

    private static void assertMatchesRun(String run, List<float[]> latents, float[] image) {
        int calls = fixture.path("runs").path(run).path("unet_calls").asInt();
        assertEquals(calls, latents.size(), run + ": one step per U-Net call");
        for (int i = 0; i < calls; i++) {
            assertClose(nhwc(reference.floats(run + ".step" + i + ".latents_after")), latents.get(i),
                    run + " latents after step " + i);
        }
        new FixtureRuns(reference, fixture).assertImage(run + ".image", image);
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        FixtureRuns.assertClose(expected, actual, what);
    }

    private static Conditioning embeddings(String name) {
        return Conditioning.of(StableDiffusionModel.ENCODER_HIDDEN_STATES, Tensor.of(reference.floats(name), 1, 77, 32));
    }

    private static float[] nhwc(float[] nchw) {
        return FixtureRuns.nhwc(nchw);
    }
}
