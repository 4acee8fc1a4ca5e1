package io.stipple.engine.sd.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.dreambooth.ClassImageSettings;
import io.stipple.engine.dreambooth.ClassImages;
import io.stipple.engine.dreambooth.DreamBooth;
import io.stipple.engine.dreambooth.DreamBoothConfig;
import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.sd.FixtureRuns;
import io.stipple.engine.sd.lora.LoraFile;
import io.stipple.engine.sd.lora.ScaledLora;
import io.stipple.engine.training.CheckpointStore;
import io.stipple.engine.training.FolderBlobs;
import io.stipple.engine.training.StepResult;
import io.stipple.engine.training.TrainingRun;
import io.stipple.engine.weights.SafetensorsFile;
import io.stipple.engine.weights.WeightSource;
import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DreamBooth-LoRA with prior preservation on the tiny SD 1.x pipeline: the fixture's two instance
 * images, two class images the base generates, four steps. A run stopped after its step-2
 * checkpoint and started again finishes with bit-identical adapters and loss log to an
 * uninterrupted run; the adapters moved from their start, and the exported LoRA changes the image.
 */
class SdDreamBoothTest {

    private static final DreamBoothConfig CONFIG = new DreamBoothConfig("a photo of sks star", "a photo of a star", true,
            2, 1f, 4, 1e-3f, 1, 7, false, DreamBoothConfig.Method.LORA, 4, 2,
            new ClassImageSettings("ddim", 2, 3.0, 0));

    @Test
    void resumedRunEqualsUninterruptedRun(@TempDir Path dir) throws Exception {
        try (DiffusionModel base = DiffusionModels.open(SdTiny.SD1); WeightSource reference = SdTiny.references()) {
            Tensor instances = instanceImages();
            SdDreamBooth dreamBooth = new SdDreamBooth(new ClassImages(new FolderBlobs(dir.resolve("cache"))),
                    CheckpointStore.NONE, new PrintStream(OutputStream.nullOutputStream()));
            Path unet = SdTiny.SD1.resolve("unet");

            SdDreamBooth.Result straight = dreamBooth.train(base, unet, CONFIG, instances, dir.resolve("straight"),
                    DreamBooth.Listener.NONE, () -> false);
            assertEquals(4, straight.summary().steps());
            assertTrue(Double.isFinite(straight.summary().finalLoss()));

            Path interrupted = dir.resolve("interrupted");
            long[] done = {0};
            DreamBooth.Listener counting = new DreamBooth.Listener() {
                @Override
                public void step(StepResult result, long totalSteps) {
                    done[0] = result.step() + 1;
                }
            };
            assertThrows(CancellationException.class, () -> dreamBooth.train(base, unet, CONFIG, instances, interrupted,
                    counting, () -> done[0] >= 2));
            SdDreamBooth.Result resumed = dreamBooth.train(base, unet, CONFIG, instances, interrupted,
                    DreamBooth.Listener.NONE, () -> false);

            assertEquals(Files.readString(dir.resolve("straight").resolve(TrainingRun.LOSS_CSV)),
                    Files.readString(interrupted.resolve(TrainingRun.LOSS_CSV)), "the loss log");
            straight.lora().layers().forEach((module, layer) -> {
                assertArrayEquals(layer.down(), resumed.lora().layers().get(module).down(), module);
                assertArrayEquals(layer.up(), resumed.lora().layers().get(module).up(), module);
            });
            double upNorm = straight.lora().layers().values().stream()
                    .mapToDouble(l -> SdTiny.maxAbs(l.up())).max().orElse(0);
            assertTrue(upNorm > 0, "the up matrices left their zero start");

            FixtureRuns runs = new FixtureRuns(reference, SdTiny.description());
            float[] baseImage = runs.image(base, "run_ddim");
            for (Path file : List.of(straight.diffusers(), straight.kohya())) {
                try (LoraFile lora = base.openLora(file);
                        DiffusionModel tuned = base.withLoras(List.of(new ScaledLora(lora, 1)))) {
                    assertTrue(SdTiny.maxAbsDiff(baseImage, runs.image(tuned, "run_ddim")) > 0, file + " changes the image");
                }
            }
        }
    }

    /**
     * The training fixture's two instance images (a star on a pattern), NHWC in [-1, 1], each pixel
     * repeated 2x2 to the tiny pipeline's native 256x256.
     */
    private static Tensor instanceImages() throws IOException {
        try (SafetensorsFile step = SafetensorsFile.open(SdTiny.TRAIN_STEP.resolve("train_step.safetensors"))) {
            float[] pixels = SdTiny.nchwToNhwc(step.floats("input.pixel_values"), 4, 3, 128, 128);
            float[] large = new float[2 * 256 * 256 * 3];
            for (int n = 0; n < 2; n++) {
                for (int y = 0; y < 256; y++) {
                    for (int x = 0; x < 256; x++) {
                        System.arraycopy(pixels, ((n * 128 + y / 2) * 128 + x / 2) * 3, large, ((n * 256 + y) * 256 + x) * 3, 3);
                    }
                }
            }
            return Tensor.of(large, 2, 256, 256, 3);
        }
    }
}
