package io.stipple.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.stipple.engine.export.TinyModels;
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
}
