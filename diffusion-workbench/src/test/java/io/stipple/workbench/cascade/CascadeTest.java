package io.stipple.workbench.cascade;

import io.stipple.engine.cascade.CascadeListener;
import io.stipple.engine.cascade.CascadePipeline;
import io.stipple.engine.cascade.InputOrigin;
import io.stipple.engine.cascade.LowResConditioning;
import io.stipple.engine.cascade.StageSettings;
import io.stipple.engine.cascade.SuperResolutionStage;
import io.stipple.engine.cascade.UpscaleChain;
import io.stipple.engine.cascade.UpscalePipeline;
import io.stipple.engine.cascade.UpscaleRequest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stipple.workbench.classifier.Evaluator;
import io.stipple.workbench.cli.StippleCli;
import io.stipple.workbench.data.ProceduralShapes;
import io.stipple.workbench.data.Sample;
import io.stipple.engine.export.ModelCards;
import io.stipple.engine.weights.ModelFormatException;
import io.stipple.engine.export.StippleModel;
import io.stipple.engine.export.TinyModels;
import io.stipple.engine.guidance.GuidanceSettings;
import io.stipple.engine.image.GenerationParameters;
import io.stipple.engine.image.PngCodec;
import io.stipple.engine.image.PngImage;
import io.stipple.engine.image.Resize;
import io.stipple.engine.image.RgbImage;
import io.stipple.workbench.metrics.Psnr;
import io.stipple.engine.pipeline.GeneratedImage;
import io.stipple.engine.pipeline.GenerationRequest;
import io.stipple.engine.pipeline.SamplerChoice;
import io.stipple.engine.text.Tokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The cascade API on tiny models: an untrained 8x8 base, stages 8 -> 16 -> 32 trained for a few steps. */
class CascadeTest {

    @TempDir
    static Path dir;
    static StippleModel base;
    static StippleModel stage16;
    static StippleModel stage32;

    @BeforeAll
    static void buildModels() throws Exception {
        Tokenizer tokenizer = TinyModels.tokenizer();
        TinyModels.exportUntrained(TinyModels.textModel(tokenizer.vocabulary().size()), tokenizer, dir.resolve("base"));
        TinyStages.trainTinyStage(8, 16, dir.resolve("sr16"));
        TinyStages.trainTinyStage(16, 32, dir.resolve("sr32"));
        base = StippleModel.load(dir.resolve("base"));
        stage16 = StippleModel.load(dir.resolve("sr16"));
        stage32 = StippleModel.load(dir.resolve("sr32"));
    }

    @AfterAll
    static void close() {
        base.close();
        stage16.close();
        stage32.close();
    }

    private static GenerationRequest request(int numImages) {
        return new GenerationRequest("a red circle", "", numImages, 7, SamplerChoice.DDIM, 3,
                GuidanceSettings.scale(2), Map.of());
    }

    private static List<StageSettings> stageSettings() {
        return List.of(new StageSettings(SamplerChoice.DDIM, 3, GuidanceSettings.scale(1), 100, Map.of()),
                new StageSettings(SamplerChoice.EULER_ANCESTRAL, 2, GuidanceSettings.scale(1), 0, Map.of()));
    }

    @Test
    void cascadeMakesFinalSizePngsNamingEveryStageAndReportsEachStagesSteps() throws Exception {
        Map<String, List<Integer>> steps = new LinkedHashMap<>();
        CascadeListener listener = stage -> (index, total, t, output) ->
                steps.computeIfAbsent(stage, s -> new ArrayList<>()).add(total);
        List<GeneratedImage> images = new CascadePipeline(base, List.of(stage16, stage32))
                .generate(request(2), stageSettings(), listener);

        assertEquals(List.of("base", "upscale_x2", "upscale_x4"), List.copyOf(steps.keySet()));
        assertEquals(List.of(3, 3, 3), steps.get("base"));
        assertEquals(List.of(3, 3, 3), steps.get("upscale_x2"));
        assertEquals(List.of(2, 2), steps.get("upscale_x4"));
        assertEquals(2, images.size());
        PngImage png = PngCodec.decode(images.get(1).png());
        assertEquals(32, png.image().width());
        GenerationParameters parameters = GenerationParameters.fromPngText(png.text()).orElseThrow();
        assertEquals(1, parameters.index());
        assertEquals(32, parameters.height());
        assertEquals("tiny@1", parameters.model());
        assertEquals("tiny-sr-16@1", parameters.extra().get("stage1_model"));
        assertEquals("100", parameters.extra().get("stage1_aug_level"));
        assertEquals("euler_ancestral", parameters.extra().get("stage2_sampler"));
        assertEquals("2", parameters.extra().get("stage2_steps"));
        assertEquals("8", parameters.extra().get("base_size"));
    }

    @Test
    void anImageIsTheSameAloneOrInABatch() throws Exception {
        CascadePipeline cascade = new CascadePipeline(base, List.of(stage16, stage32));
        byte[] alone = cascade.generate(request(1), stageSettings(), CascadeListener.NONE).get(0).png();
        List<GeneratedImage> batch = cascade.generate(request(3), stageSettings(), CascadeListener.NONE);
        assertArrayEquals(PngCodec.decode(alone).image().pixels(), PngCodec.decode(batch.get(0).png()).image().pixels());

        UpscaleChain chain = cascade.chain();
        float[] inputs = renderLike(3, 8);
        List<String> prompts = List.of("a", "b", "c");
        float[] together = chain.upscale(inputs, prompts, "", stageSettings(), 5, 0, CascadeListener.NONE);
        int per = 32 * 32 * 3;
        for (int i = 0; i < 3; i++) {
            float[] single = chain.upscale(Arrays.copyOfRange(inputs, i * 8 * 8 * 3, (i + 1) * 8 * 8 * 3),
                    List.of(prompts.get(i)), "", stageSettings(), 5, i, CascadeListener.NONE);
            // Same noise exactly; the network's float sums may differ in the last bits between batch sizes (oneDNN).
            assertArrayEquals(Arrays.copyOfRange(together, i * per, (i + 1) * per), single, 1e-4f, "image " + i);
        }
        assertFalse(Arrays.equals(Arrays.copyOfRange(together, 0, per), Arrays.copyOfRange(together, per, 2 * per)));
    }

    @Test
    void theStageIsConditionedOnTheLowResolutionImageAndTheAugmentationLevel() {
        SuperResolutionStage stage = new SuperResolutionStage(stage16);
        StageSettings settings = new StageSettings(SamplerChoice.DDIM, 3, GuidanceSettings.scale(1), 0, Map.of());
        float[] dark = new float[8 * 8 * 3];
        Arrays.fill(dark, -0.8f);
        float[] light = new float[8 * 8 * 3];
        Arrays.fill(light, 0.8f);
        List<String> prompt = List.of("x");
        float[] fromDark = stage.upscale(dark, prompt, "", settings, 3, 0, (i, n, t, o) -> { });
        float[] fromLight = stage.upscale(light, prompt, "", settings, 3, 0, (i, n, t, o) -> { });
        float[] augmented = stage.upscale(dark, prompt, "", settings.withAugLevel(300), 3, 0, (i, n, t, o) -> { });
        assertEquals(16 * 16 * 3, fromDark.length);
        assertTrue(meanAbsDifference(fromDark, fromLight) > 1e-4, "same noise, different low_res: different output");
        assertTrue(meanAbsDifference(fromDark, augmented) > 1e-4, "same noise, different aug level: different output");
        var tooHigh = assertThrows(IllegalArgumentException.class,
                () -> stage.upscale(dark, prompt, "", settings.withAugLevel(301), 3, 0, (i, n, t, o) -> { }));
        assertTrue(tooHigh.getMessage().contains("300"), tooHigh.getMessage());
        var guided = assertThrows(IllegalArgumentException.class, () -> stage.upscale(dark, prompt, "",
                new StageSettings(SamplerChoice.DDIM, 3, GuidanceSettings.scale(3), 0, Map.of()), 3, 0,
                (i, n, t, o) -> { }));
        assertTrue(guided.getMessage().contains("not text-conditioned"), guided.getMessage());
    }

    @Test
    void theSampledResidualIsDividedByTheCardsResidualScale() throws Exception {
        // Same weights and noise, so the network samples the same (scaled) residual; the card's scale says
        // what it is worth in pixels. Mid-gray input keeps the output away from the [-1, 1] clamp.
        try (StippleModel scaled = StippleModel.load(withCard("sr16", "scaled",
                card -> ((ObjectNode) card.get("super_resolution")).put("residual_scale", 4.0)))) {
            assertEquals(Map.of(), StageSettings.defaults(scaled, InputOrigin.REAL).schedulerSettings(), "no sampler settings in the card");
            float[] gray = new float[8 * 8 * 3];
            for (int i = 0; i < gray.length; i++) {
                gray[i] = (float) (0.3 * Math.sin(i * 0.37));
            }
            StageSettings settings = new StageSettings(SamplerChoice.DDIM, 3, GuidanceSettings.scale(1), 0, Map.of());
            List<String> prompt = List.of("x");
            float[] plain = new SuperResolutionStage(stage16).upscale(gray, prompt, "", settings, 3, 0, (i, n, t, o) -> { });
            float[] quarter = new SuperResolutionStage(scaled).upscale(gray, prompt, "", settings, 3, 0, (i, n, t, o) -> { });
            float[] bicubic = LowResConditioning.upsampled(gray, 1, 8, 16);
            int compared = 0;
            for (int i = 0; i < plain.length; i++) {
                if (Math.abs(plain[i]) < 0.99f) {
                    assertEquals((plain[i] - bicubic[i]) / 4, quarter[i] - bicubic[i], 1e-4, "pixel " + i);
                    compared++;
                }
            }
            assertTrue(compared > plain.length / 2, "most pixels are unclamped: " + compared);
            assertTrue(meanAbsDifference(plain, bicubic) > 1e-3, "the tiny stage adds a residual at all");
        }
        try (StippleModel trailing = StippleModel.load(withCard("sr16", "trailing", card -> ((ObjectNode) card
                .get("super_resolution")).putObject("sampler_settings").put("timestep_spacing", "trailing")))) {
            assertEquals(Map.of("timestep_spacing", "trailing"), StageSettings.defaults(trailing, InputOrigin.REAL).schedulerSettings());
        }
        var negative = assertThrows(ModelFormatException.class, () -> StippleModel.load(withCard("sr16", "negative-scale",
                card -> ((ObjectNode) card.get("super_resolution")).put("residual_scale", -1.0))));
        assertTrue(negative.getMessage().contains("residual_scale -1.0"), negative.getMessage());
    }

    @Test
    void withoutStageSettingsACascadeUpscalesItsGeneratedImagesAtTheCardsCascadeLevel() throws Exception {
        GenerationParameters parameters = GenerationParameters.fromPngText(PngCodec.decode(
                new CascadePipeline(base, List.of(stage16, stage32)).generate(request(1), null, CascadeListener.NONE)
                        .get(0).png()).text()).orElseThrow();
        String cascadeLevel = Integer.toString(TinyStages.TINY_CASCADE_AUG_LEVEL);
        assertEquals(cascadeLevel, parameters.extra().get("stage1_aug_level"), "generated: default_cascade_aug_level");
        assertEquals(cascadeLevel, parameters.extra().get("stage2_aug_level"), "generated: default_cascade_aug_level");
    }

    @Test
    void theCascadeLevelIsReadFromTheCardAndFallsBackToTheDefaultLevelWhenAbsent() throws Exception {
        JsonNode written = new ObjectMapper().readTree(dir.resolve("sr16").resolve(ModelCards.FILE_NAME).toFile())
                .get("super_resolution");
        assertEquals(TinyStages.TINY_CASCADE_AUG_LEVEL, written.get("default_cascade_aug_level").asInt());
        assertFalse(written.has("cascade_aug_level"), "the fallback accessor is not a card field: " + written);
        assertEquals(TinyStages.TINY_CASCADE_AUG_LEVEL, StageSettings.defaults(stage16, InputOrigin.GENERATED).augLevel());
        assertEquals(50, StageSettings.defaults(stage16, InputOrigin.REAL).augLevel());

        // An older card (or a user's) without the field: generated inputs take default_aug_level too.
        try (StippleModel older = StippleModel.load(withCard("sr16", "no-cascade-level",
                card -> ((ObjectNode) card.get("super_resolution")).remove("default_cascade_aug_level")))) {
            assertEquals(50, StageSettings.defaults(older, InputOrigin.GENERATED).augLevel());
            assertEquals(50, StageSettings.defaults(older, InputOrigin.REAL).augLevel());
        }
        var untrained = assertThrows(ModelFormatException.class, () -> StippleModel.load(withCard("sr16",
                "cascade-level-too-high", card -> ((ObjectNode) card.get("super_resolution"))
                        .put("default_cascade_aug_level", 301))));
        assertTrue(untrained.getMessage().contains("default_cascade_aug_level 301 outside the trained range 0..300"),
                untrained.getMessage());
    }

    @Test
    void upscaleOnlyTakesAnyImageToTheLastStagesSizeWithTheCardDefaults() throws Exception {
        RgbImage photo = new RgbImage(12, 20, filled(12, 20));
        List<GeneratedImage> out = new UpscalePipeline(List.of(stage16, stage32))
                .upscale(new UpscaleRequest(photo, "a photo", null, 2, 9, null), CascadeListener.NONE);
        assertEquals(2, out.size());
        PngImage png = PngCodec.decode(out.get(0).png());
        assertEquals(32, png.image().height());
        GenerationParameters parameters = GenerationParameters.fromPngText(png.text()).orElseThrow();
        assertEquals("tiny-sr-16@1", parameters.model());
        assertEquals("ddim", parameters.sampler());
        assertEquals("50", parameters.extra().get("stage1_aug_level"), "a real image: the card's default_aug_level");
        assertEquals("50", parameters.extra().get("stage2_aug_level"), "a real image: the card's default_aug_level");
        assertEquals("20x12", parameters.extra().get("upscaled_from"));
    }

    @Test
    void stagesMustChainAndACancelStopsTheRun() {
        var mismatch = assertThrows(IllegalArgumentException.class, () -> new UpscaleChain(List.of(stage32, stage16), InputOrigin.REAL));
        assertTrue(mismatch.getMessage().contains("takes 8x8"), mismatch.getMessage());
        var baseMismatch = assertThrows(IllegalArgumentException.class,
                () -> new CascadePipeline(base, List.of(stage32)));
        assertTrue(baseMismatch.getMessage().contains("base model makes 8x8"), baseMismatch.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SuperResolutionStage(base));
        CascadeListener cancelInStage2 = stage -> (index, total, t, output) -> {
            if (stage.equals("upscale_x4")) {
                throw new CancellationException("stop");
            }
        };
        assertThrows(CancellationException.class, () -> new CascadePipeline(base, List.of(stage16, stage32))
                .generate(request(1), null, cancelInStage2));
    }

    @Test
    void aStagesCardAndSignatureMustAgreeOnLoad() throws Exception {
        var noSection = assertThrows(ModelFormatException.class,
                () -> StippleModel.load(withCard("sr16", "no-section", card -> card.remove("super_resolution"))));
        assertTrue(noSection.getMessage().contains("takes 'low_res'")
                && noSection.getMessage().contains("no super_resolution section"), noSection.getMessage());
        var wrongSize = assertThrows(ModelFormatException.class, () -> StippleModel.load(withCard("sr16", "wrong-size",
                card -> ((ObjectNode) card.get("super_resolution")).put("output_size", 32))));
        assertTrue(wrongSize.getMessage().contains("16x16 but the card's output_size is 32"), wrongSize.getMessage());
        var notAStage = assertThrows(ModelFormatException.class, () -> StippleModel.load(withCard("base", "base-as-stage",
                card -> card.set("super_resolution", card.objectNode().put("input_size", 4).put("output_size", 8)
                        .put("upsampling", "bicubic").put("target", "residual").put("training_crop", 8).put("max_aug_level", 0)
                        .put("default_aug_level", 0)))));
        assertTrue(notAStage.getMessage().contains("lacks the input 'low_res'"), notAStage.getMessage());
    }

    /** A copy of model folder {@code source} with its card edited. */
    private static Path withCard(String source, String name, Consumer<ObjectNode> edit) throws Exception {
        Path copy = dir.resolve(name);
        try (Stream<Path> files = Files.walk(dir.resolve(source))) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(dir.resolve(source).relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        ObjectMapper json = new ObjectMapper();
        Path cardFile = copy.resolve(ModelCards.FILE_NAME);
        ObjectNode card = (ObjectNode) json.readTree(cardFile.toFile());
        edit.accept(card);
        json.writeValue(cardFile.toFile(), card);
        return copy;
    }

    private static float[] renderLike(int count, int size) {
        float[] images = new float[count * size * size * 3];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) Math.sin(i * 0.37);
        }
        return images;
    }

    private static float[] filled(int height, int width) {
        float[] pixels = new float[height * width * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i % 7) / 7f - 0.5f;
        }
        return pixels;
    }

    private static double meanAbsDifference(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    @Test
    void evalSrStagesModeScoresEachStageAloneOnTrueRendersOfItsOwnInputSize() throws Exception {
        StringWriter out = new StringWriter();
        int exit = new CommandLine(new StippleCli()).setOut(new PrintWriter(out)).execute("eval-sr", "--stages",
                dir.resolve("sr16") + "," + dir.resolve("sr32"), "--mode", "stages", "--count", "3", "--batch", "3",
                "--aug-levels", "0");

        assertEquals(0, exit);
        String[] lines = out.toString().strip().split("\n");
        JsonNode perStage = new ObjectMapper().readTree(lines[lines.length - 1]).get("per_stage");
        assertEquals(2, perStage.size());
        List<Sample> scenes = Evaluator.testSamples(3);
        int[][] sizes = {{8, 16}, {16, 32}};
        for (int k = 0; k < 2; k++) {
            JsonNode real = perStage.get(k).get("real");
            int in = sizes[k][0];
            int high = sizes[k][1];
            assertEquals("tiny-sr-" + high + "@1", perStage.get(k).get("stage").asText());
            assertEquals(in, real.get("input_size").asInt());
            assertEquals(high, real.get("output_size").asInt());
            // The stage's own baseline: bicubic from the true render at its input size, not from the stage before.
            double bicubic = Psnr.meanOverBatch(Resize.resizeBatch(ProceduralShapes.render(scenes, in).images(), 3, in,
                    high, Resize.Method.BICUBIC), ProceduralShapes.render(scenes, high).images(), 3);
            JsonNode level = real.get("per_level").get(0);
            assertEquals(bicubic, level.get("bicubic_psnr").asDouble(), 1e-9);
            assertEquals(level.get("psnr").asDouble() - bicubic, level.get("gain_over_bicubic_db").asDouble(), 1e-9);
        }
    }
}
