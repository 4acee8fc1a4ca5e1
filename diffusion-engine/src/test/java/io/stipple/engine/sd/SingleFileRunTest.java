package io.stipple.engine.sd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stipple.engine.weights.ModelFormatException;
import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.model.ImageSize;
import io.stipple.engine.model.ModelFamily;
import io.stipple.engine.schedulers.PredictionType;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.sd.singlefile.StatedConfig;
import io.stipple.engine.weights.WeightSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Stable Diffusion model loaded from the fixture's single-file checkpoints (LDM names, fp32 and
 * fp16) reproduces diffusers' {@code from_single_file} images of the DDIM run (prompt 0, 3 steps,
 * guidance 7.5, fixed starting latents) within 1e-3. The tiny model's 4 text-encoder heads and
 * 256-pixel native size are stated, as a user states a real model's prediction type.
 */
class SingleFileRunTest {

    static final Path FP32 = SdTiny.ROOT.resolve("tiny-sd-a1111.safetensors");
    static final Path FP16 = SdTiny.ROOT.resolve("tiny-sd-a1111-fp16.safetensors");
    /** What the tiny files cannot say: 4 heads of 8 channels (not 64), trained at 256x256. */
    static final SingleFileOptions TINY = new SingleFileOptions(new StatedConfig("epsilon", 4, -1, 256),
            SdTiny.SD1.resolve("tokenizer"));

    private static WeightSource reference;
    private static FixtureRuns runs;

    @BeforeAll
    static void open() {
        reference = SdTiny.references();
        JsonNode fixture = SdTiny.description();
        runs = new FixtureRuns(reference, fixture);
    }

    @AfterAll
    static void close() {
        reference.close();
    }

    @Test
    void fp32SingleFileReproducesDiffusersImage() throws IOException {
        try (DiffusionModel model = StableDiffusionModel.loadSingleFile(FP32, TINY, null)) {
            assertEquals(ModelFamily.STABLE_DIFFUSION, model.identity().family());
            assertEquals("tiny-sd-a1111", model.identity().name());
            assertEquals(ImageSize.square(256), model.defaults().nativeSize());
            runs.assertImage("single_file.image_ddim", runs.image(model, "run_ddim"));
        }
    }

    @Test
    void fp16SingleFileReproducesDiffusersImage() throws IOException {
        try (DiffusionModel model = StableDiffusionModel.loadSingleFile(FP16, TINY, null)) {
            runs.assertImage("single_file_fp16.image_ddim", runs.image(model, "run_ddim"));
        }
    }

    /** No file records its schedule: SD 1.5's, which is the tiny folder's, predicting what is stated. */
    @Test
    void scheduleIsStableDiffusionsWithTheStatedPrediction() {
        assertEquals(SchedulerConfigs.fromFile(SdTiny.SD1.resolve("scheduler/scheduler_config.json")),
                SchedulerConfigs.fromJson(StableDiffusionModel.singleFileSchedule(StatedConfig.sdDefaults())));
        assertEquals(PredictionType.V_PREDICTION, SchedulerConfigs.fromJson(StableDiffusionModel.singleFileSchedule(
                new StatedConfig("v_prediction", 0, -1, 768))).predictionType());
    }

    /** DiffusionModels.open takes a .safetensors file, with the tokenizer folder beside it; without one it says so. */
    @Test
    void openRecognisesASingleFileAndAsksForItsTokenizer(@TempDir Path dir) throws IOException {
        Path file = Files.createSymbolicLink(dir.resolve("model.safetensors"), FP32.toAbsolutePath());
        assertEquals(ModelFamily.STABLE_DIFFUSION, DiffusionModels.familyOf(file));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> DiffusionModels.open(file));
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer").toString()), e.getMessage());
    }
}
