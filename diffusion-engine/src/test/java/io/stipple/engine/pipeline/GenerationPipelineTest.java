package io.stipple.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stipple.engine.export.StippleModel;
import io.stipple.engine.export.TinyModels;
import io.stipple.engine.guidance.GuidanceSettings;
import io.stipple.engine.image.GenerationParameters;
import io.stipple.engine.image.PngCodec;
import io.stipple.engine.image.PngImage;
import io.stipple.engine.text.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationPipelineTest {

    @TempDir
    static Path dir;
    static StippleModel model;

    @BeforeAll
    static void exportTinyModel() throws Exception {
        Tokenizer tokenizer = TinyModels.tokenizer();
        Path folder = dir.resolve("tiny");
        TinyModels.exportUntrained(TinyModels.textModel(tokenizer.vocabulary().size()), tokenizer, folder);
        model = StippleModel.load(folder);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** DDIM clips predicted x0, so even the untrained tiny model's images stay inside [-1, 1] and vary. */
    private static GenerationRequest request(int numImages, long seed) {
        return new GenerationRequest("a red circle", "a blue square", numImages, seed, SamplerChoice.DDIM, 4,
                GuidanceSettings.scale(3).withRescale(0.5), Map.of("timestep_spacing", "trailing"));
    }

    @Test
    void writesOnePngPerImageWithItsParameters() throws Exception {
        List<int[]> steps = new ArrayList<>();
        List<GeneratedImage> images = new GenerationPipeline(model).generate(request(2, 11),
                (index, total, timestep, output) -> steps.add(new int[] {index, total}));

        assertEquals(2, images.size());
        assertEquals(4, steps.size());
        assertArrayEquals(new int[] {3, 4}, steps.get(3));
        for (int i = 0; i < 2; i++) {
            PngImage png = PngCodec.decode(images.get(i).png());
            assertEquals(8, png.image().width());
            assertEquals(8, png.image().height());
            GenerationParameters parameters = GenerationParameters.fromPngText(png.text()).orElseThrow();
            assertEquals(images.get(i).parameters(), parameters);
            assertEquals(i, parameters.index());
            assertEquals(11, parameters.seed());
            assertEquals("a red circle", parameters.prompt());
            assertEquals("a blue square", parameters.negativePrompt());
            assertEquals("tiny@1", parameters.model());
            assertEquals("ddim", parameters.sampler());
            assertEquals(4, parameters.steps());
            assertEquals(3.0, parameters.guidanceScale());
            assertEquals(Map.of("guidance_rescale", "0.5", "timestep_spacing", "trailing"), parameters.extra());
        }
        assertFalse(Arrays.equals(PngCodec.decode(images.get(0).png()).image().pixels(),
                PngCodec.decode(images.get(1).png()).image().pixels()), "each image has its own noise");
    }

    @Test
    void sameSeedSameBytesAndAnImageDoesNotDependOnItsBatch() {
        GenerationPipeline pipeline = new GenerationPipeline(model);
        List<GeneratedImage> pair = pipeline.generate(request(2, 5), StepListener.NONE);
        List<GeneratedImage> again = pipeline.generate(request(2, 5), StepListener.NONE);
        List<GeneratedImage> alone = pipeline.generate(request(1, 5), StepListener.NONE);
        List<GeneratedImage> otherSeed = pipeline.generate(request(1, 6), StepListener.NONE);

        assertArrayEquals(pair.get(0).png(), again.get(0).png());
        assertArrayEquals(pair.get(1).png(), again.get(1).png());
        assertArrayEquals(pair.get(0).png(), alone.get(0).png());
        assertFalse(Arrays.equals(alone.get(0).png(), otherSeed.get(0).png()));
    }

    @Test
    void aListenerThatThrowsStopsTheRun() {
        List<Integer> seen = new ArrayList<>();
        assertThrows(CancellationException.class, () -> new GenerationPipeline(model).generate(request(1, 1),
                (index, total, timestep, output) -> {
                    seen.add(index);
                    if (index == 1) {
                        throw new CancellationException("canceled");
                    }
                }));
        assertEquals(List.of(0, 1), seen);
    }

    @Test
    void anUnknownSchedulerKeyFails() {
        GenerationRequest bad = new GenerationRequest("a red circle", "", 1, 1, SamplerChoice.DDIM, 2,
                GuidanceSettings.scale(1), Map.of("no_such_key", 1));
        assertThrows(IllegalArgumentException.class, () -> new GenerationPipeline(model).generate(bad, StepListener.NONE));
    }
}
