package io.stipple.workbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.export.TinyModels;
import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.weights.NpyFile;
import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.image.GenerationParameters;
import io.stipple.engine.image.PngCodec;
import io.stipple.engine.text.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {

    @Test
    void writesAGridWithOneRowPerPromptAndItsParameters(@TempDir Path dir) throws Exception {
        Tokenizer tokenizer = TinyModels.tokenizer();
        Path model = dir.resolve("model");
        TinyModels.exportUntrained(TinyModels.textModel(tokenizer.vocabulary().size()), tokenizer, model);
        Path out = dir.resolve("grid.png");

        int exit = new CommandLine(new StippleCli()).execute("generate", "--model", model.toString(),
                "-p", "a red circle", "-p", "a blue square", "--count", "3", "--sampler", "ddim", "--steps", "3",
                "--guidance", "2.5", "--seed", "7", "--out", out.toString());

        assertEquals(0, exit);
        var png = PngCodec.read(out);
        // 3 columns and 2 rows of 8x8 tiles with 1-pixel padding around and between them.
        assertEquals(3 * 8 + 4, png.image().width());
        assertEquals(2 * 8 + 3, png.image().height());
        GenerationParameters parameters = GenerationParameters.fromPngText(png.text()).orElseThrow();
        assertEquals("ddim", parameters.sampler());
        assertEquals(3, parameters.steps());
        assertEquals(2.5, parameters.guidanceScale());
        assertEquals(7, parameters.seed());
        assertNotEquals(0, Files.size(out));
    }

    @Test
    void aLoraVersionIsDrawnOverItsBaseFoundUnderModels(@TempDir Path dir) throws Exception {
        Path models = dir.resolve("models");
        Path base = models.resolve("tiny").resolve("1");
        TinyModels.exportRandomBase("tiny", base);
        Path lora = dir.resolve("tiny-sks");
        TinyModels.exportRandomLora(base, "tiny-sks", "1", 3, lora);

        assertEquals(0, generate(base, models, dir.resolve("base.png")));
        assertEquals(0, generate(lora, models, dir.resolve("lora.png")), "a LoRA version loads over tiny@1");
        assertFalse(Arrays.equals(PngCodec.read(dir.resolve("base.png")).image().pixels(),
                PngCodec.read(dir.resolve("lora.png")).image().pixels()), "the adapters change what the base draws");
    }

    private static int generate(Path model, Path models, Path out) {
        return new CommandLine(new StippleCli()).execute("generate", "--model", model.toString(), "--models",
                models.toString(), "-p", "a red circle", "--count", "1", "--sampler", "ddim", "--steps", "3", "--seed", "7",
                "--out", out.toString());
    }

    /**
     * A diffusers folder runs as the bundled models do, with its own scheduler config by default
     * (the tiny SD 1.x pipeline's PNDM); from diffusers' starting latents the raw image equals the
     * fixture's PNDM run within the README's 1e-3, and the PNG is that image quantised.
     */
    @Test
    void aDiffusersFolderFromFixedLatentsDrawsDiffusersImage(@TempDir Path dir) throws Exception {
        Path latents = fixtureLatents(dir);
        float[] expected = referenceImage("run_pndm.image");
        Path out = dir.resolve("sd.png");
        Path raw = dir.resolve("sd.npy");

        int exit = new CommandLine(new StippleCli()).execute("generate", "--model", SdTiny.SD1.toString(),
                "-p", SdTiny.description().path("prompts").get(0).asText(), "--count", "1", "--steps", "3",
                "--guidance", "7.5", "--width", "128", "--height", "128", "--latents", latents.toString(),
                "--raw-out", raw.toString(), "--out", out.toString());

        assertEquals(0, exit);
        NpyFile.Array image = NpyFile.read(raw);
        assertArrayEquals(new long[] {1, 128, 128, 3}, image.shape());
        double diff = SdTiny.maxAbsDiff(expected, image.values());
        assertTrue(diff <= 1e-3, "the raw image differs from diffusers' by " + diff);
        var png = PngCodec.read(out);
        assertEquals(128 + 2, png.image().width());
        assertEquals("PNDMScheduler", GenerationParameters.fromPngText(png.text()).orElseThrow().sampler());
    }

    /**
     * A single-file checkpoint with what it cannot say stated, two LoRA files stacked at 0.5 each
     * and DDIM configured from the model's schedule by diffusers' from_config rule: from diffusers'
     * latents, diffusers' image of the LoRA'd pipeline at scale 1 (the fixture's DDIM run) within 1e-3.
     */
    @Test
    void aSingleFileWithStackedLorasDrawsDiffusersLoraImage(@TempDir Path dir) throws Exception {
        Path latents = fixtureLatents(dir);
        float[] expected = referenceImage("lora.image_kohya_file");
        Path out = dir.resolve("lora.png");
        Path raw = dir.resolve("lora.npy");

        int exit = new CommandLine(new StippleCli()).execute("generate",
                "--model", SdTiny.ROOT.resolve("tiny-sd-a1111.safetensors").toString(),
                "--tokenizer", SdTiny.SD1.resolve("tokenizer").toString(), "--text-encoder-heads", "4",
                "--native-resolution", "256", "--prediction-type", "epsilon",
                "--lora", SdTiny.ROOT.resolve("lora_kohya.safetensors") + ":0.5",
                "--lora", SdTiny.ROOT.resolve("lora-diffusers/pytorch_lora_weights.safetensors") + ":0.5",
                "-p", SdTiny.description().path("prompts").get(0).asText(), "--count", "1", "--sampler", "ddim",
                "--steps", "3", "--guidance", "7.5", "--width", "128", "--height", "128",
                "--latents", latents.toString(), "--raw-out", raw.toString(), "--out", out.toString());

        assertEquals(0, exit);
        double diff = SdTiny.maxAbsDiff(expected, NpyFile.read(raw).values());
        System.out.println("CLI single file + 2 LoRAs at 0.5 vs diffusers' LoRA image: max abs difference " + diff);
        assertTrue(diff <= 1e-3, "the raw image differs from diffusers' by " + diff);
        GenerationParameters parameters = GenerationParameters.fromPngText(PngCodec.read(out).text()).orElseThrow();
        assertEquals("lora_kohya.safetensors:0.5,pytorch_lora_weights.safetensors:0.5", parameters.extra().get("loras"));
    }

    @Test
    void singleFileOptionsOnAFolderAreRefused() {
        int exit = new CommandLine(new StippleCli()).execute("generate", "--model", SdTiny.SD1.toString(),
                "--prediction-type", "v_prediction", "-p", "a cat", "--count", "1");
        assertNotEquals(0, exit);
    }

    /** The fixture's starting latents as --latents takes them (NCHW .npy). */
    private static Path fixtureLatents(Path dir) throws Exception {
        Path latents = dir.resolve("latents.npy");
        try (WeightSource reference = SdTiny.references()) {
            NpyFile.write(latents, new long[] {1, 4, 16, 16}, reference.floats("run.latents_init"));
        }
        return latents;
    }

    private static float[] referenceImage(String name) {
        try (WeightSource reference = SdTiny.references()) {
            return reference.floats(name);
        }
    }
}
