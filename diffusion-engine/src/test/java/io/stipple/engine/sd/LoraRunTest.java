package io.stipple.engine.sd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.sd.lora.LoraFile;
import io.stipple.engine.sd.lora.ScaledLora;
import io.stipple.engine.weights.WeightSource;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LoRA files applied per run over one loaded SD 1.x (the tiny folder): the fixture's DDIM-run images
 * of diffusers' {@code load_lora_weights} at scale 1 from the kohya and the diffusers/PEFT file
 * within 1e-3; two LoRAs stacked add up; and the base image is bit for bit the same before, between
 * and after LoRA runs, since a view only feeds branches and never changes the base.
 */
class LoraRunTest {

    private static final Path KOHYA = SdTiny.ROOT.resolve("lora_kohya.safetensors");
    private static final Path DIFFUSERS = SdTiny.ROOT.resolve("lora-diffusers/pytorch_lora_weights.safetensors");

    private static DiffusionModel base;
    private static LoraFile kohya;
    private static LoraFile diffusers;
    private static WeightSource reference;
    private static FixtureRuns runs;

    @BeforeAll
    static void load() throws Exception {
        base = DiffusionModels.open(SdTiny.SD1);
        kohya = base.openLora(KOHYA);
        diffusers = base.openLora(DIFFUSERS);
        reference = SdTiny.references();
        runs = new FixtureRuns(reference, SdTiny.description());
    }

    @AfterAll
    static void close() {
        kohya.close();
        diffusers.close();
        base.close();
        reference.close();
    }

    @Test
    void kohyaAndDiffusersFilesReproduceDiffusersImagesAndLeaveTheBaseUntouched() {
        float[] before = runs.image(base, "run_ddim");
        runs.assertImage("run_ddim.image", before);
        try (DiffusionModel view = base.withLoras(List.of(new ScaledLora(kohya, 1)))) {
            runs.assertImage("lora.image_kohya_file", runs.image(view, "run_ddim"));
        }
        assertArrayEquals(before, runs.image(base, "run_ddim"), "the base after a LoRA run");
        try (DiffusionModel view = base.withLoras(List.of(new ScaledLora(diffusers, 1)))) {
            runs.assertImage("lora.image_diffusers_file", runs.image(view, "run_ddim"));
        }
        try (DiffusionModel none = base.withLoras(List.of())) {
            assertArrayEquals(before, runs.image(none, "run_ddim"), "an empty LoRA set is the base");
        }
    }

    /** The same LoRA twice at half scale is the sum of two branches: diffusers' image at scale 1. */
    @Test
    void stackedLorasAddUp() {
        try (DiffusionModel halves = base.withLoras(List.of(new ScaledLora(kohya, 0.5), new ScaledLora(diffusers, 0.5)))) {
            runs.assertImage("lora.image_kohya_file", runs.image(halves, "run_ddim"));
        }
        try (DiffusionModel away = base.withLoras(List.of(new ScaledLora(kohya, 1), new ScaledLora(diffusers, -1)))) {
            double diff = SdTiny.maxAbsDiff(runs.image(base, "run_ddim"), runs.image(away, "run_ddim"));
            assertTrue(diff < 1e-4, "+1 and -1 of one LoRA cancel: " + diff);
        }
    }
}
