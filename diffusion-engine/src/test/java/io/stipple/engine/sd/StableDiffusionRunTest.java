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
import io.stipple.engine.model.DiffusionModels;
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

    private static final double TOLERANCE = 1e-3;
    private static final int[] LATENTS = {1, 16, 16, 4};

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
        JsonNode settings = fixture.path("runs").path(run);
        return new PromptSampler(model, SchedulerConfigs.fromJson(settings.path("scheduler_config").toString()),
                settings.path("steps").asInt(), GuidanceSettings.scale(settings.path("guidance_scale").asDouble()))
                .atSize(ImageSize.square(128))
                .startingFromNoise(Tensor.of(nhwc(reference.floats("run.latents_init")), LATENTS));
    }

    private static void assertMatchesRun(String run, List<float[]> latents, float[] image) {
        int calls = fixture.path("runs").path(run).path("unet_calls").asInt();
        assertEquals(calls, latents.size(), run + ": one step per U-Net call");
        for (int i = 0; i < calls; i++) {
            assertClose(nhwc(reference.floats(run + ".step" + i + ".latents_after")), latents.get(i),
                    run + " latents after step " + i);
        }
        // diffusers' images are postprocessed to [0, 1]: (x / 2 + 0.5).clamp(0, 1).
        float[] ours = new float[image.length];
        for (int i = 0; i < ours.length; i++) {
            ours[i] = image[i] / 2 + 0.5f;
        }
        assertClose(reference.floats(run + ".image"), ours, run + " image");
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        double diff = SdTiny.maxAbsDiff(expected, actual);
        System.out.printf(Locale.ROOT, "%s: max abs difference %.2e (scale %.2f)%n", what, diff, SdTiny.maxAbs(expected));
        assertTrue(diff <= TOLERANCE * Math.max(1, SdTiny.maxAbs(expected)), what + " differs by " + diff);
    }

    private static Conditioning embeddings(String name) {
        return Conditioning.of(StableDiffusionModel.ENCODER_HIDDEN_STATES, Tensor.of(reference.floats(name), 1, 77, 32));
    }

    private static float[] nhwc(float[] nchw) {
        return SdTiny.nchwToNhwc(nchw, 1, 4, 16, 16);
    }
}
