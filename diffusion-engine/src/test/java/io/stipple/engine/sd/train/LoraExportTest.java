package io.stipple.engine.sd.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.sd.FixtureRuns;
import io.stipple.engine.sd.lora.LoraFile;
import io.stipple.engine.sd.lora.LoraLayer;
import io.stipple.engine.sd.lora.LoraTargets;
import io.stipple.engine.sd.lora.ScaledLora;
import io.stipple.engine.weights.SafetensorsFile;
import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.weights.WeightSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adapters exported as LoRA files have exactly the keys, shapes and dtypes of the fixture's files
 * (diffusers' {@code pytorch_lora_weights.safetensors} of the training step; the kohya names of its
 * key mapping, which are the {@code lora_unet_*} keys of {@code lora_kohya.safetensors}), carry the
 * same values and alpha, are read back by Stipple's own loader, and give the tiny pipeline the same
 * image as the LoRA they were made from.
 */
class LoraExportTest {

    private static final Path INIT = SdTiny.TRAIN_STEP.resolve("lora-init/pytorch_lora_weights.safetensors");
    private static final LoraSpec SPEC = new LoraSpec("unet", 4, 4, LoraSpec.ATTENTION);

    @Test
    void bothFormatsHaveTheFixtureKeysAndReadBack(@TempDir Path dir) throws IOException {
        try (WeightSource unet = WeightSources.openComponent(SdTiny.SD1.resolve("unet"));
                WeightSource text = WeightSources.openComponent(SdTiny.SD1.resolve("text_encoder"))) {
            LoraTargets targets = LoraTargets.of(unet, text);
            LoraWeights weights;
            try (LoraFile init = LoraFile.open(INIT, targets)) {
                weights = LoraWeights.from(init, SPEC);
            }
            Path diffusers = LoraExport.write(weights, LoraExport.Format.DIFFUSERS, dir.resolve("diffusers.safetensors"));
            Path kohya = LoraExport.write(weights, LoraExport.Format.KOHYA, dir.resolve("kohya.safetensors"));

            try (SafetensorsFile written = SafetensorsFile.open(diffusers); SafetensorsFile reference = SafetensorsFile.open(INIT)) {
                assertEquals(header(reference, name -> true), header(written, name -> true));
                for (String name : reference.names()) {
                    assertArrayEquals(reference.floats(name), written.floats(name), name);
                }
                assertEquals("pt", written.metadata().get("format"));
                JsonNode ours = new ObjectMapper().readTree(written.metadata().get("lora_adapter_metadata"));
                JsonNode theirs = new ObjectMapper().readTree(reference.metadata().get("lora_adapter_metadata"));
                for (String key : List.of("unet.r", "unet.lora_alpha", "unet.target_modules", "unet.peft_type",
                        "unet.use_dora", "unet.use_rslora", "unet.lora_dropout", "unet.bias")) {
                    assertEquals(theirs.get(key), ours.get(key), key);
                }
            }

            Map<String, String> expectedKohya = new TreeMap<>();
            JsonNode modules = new ObjectMapper().readTree(SdTiny.TRAIN_STEP.resolve("train_step.json").toFile())
                    .get("key_mapping").get("modules");
            for (JsonNode module : modules) {
                expectedKohya.put(module.get("kohya_down").asText(), "F32" + module.get("shape_A"));
                expectedKohya.put(module.get("kohya_up").asText(), "F32" + module.get("shape_B"));
                expectedKohya.put(module.get("kohya_alpha").asText(), "F32[]");
            }
            try (SafetensorsFile written = SafetensorsFile.open(kohya);
                    SafetensorsFile kohyaFixture = SafetensorsFile.open(SdTiny.ROOT.resolve("lora_kohya.safetensors"))) {
                assertEquals(expectedKohya, header(written, name -> true));
                assertEquals(header(kohyaFixture, name -> name.startsWith("lora_unet_")), header(written, name -> true));
                for (String name : written.names()) {
                    if (name.endsWith(".alpha")) {
                        assertArrayEquals(new float[] {4f}, written.floats(name), name);
                    }
                }
            }

            for (Path file : List.of(diffusers, kohya)) {
                try (LoraFile read = LoraFile.open(file, targets)) {
                    assertEquals(48, read.layers().size(), file.toString());
                    for (LoraLayer layer : read.layers()) {
                        assertEquals(4, layer.rank());
                        assertEquals(4.0, layer.alpha());
                        LoraWeights.Layer expected = weights.layers().get(layer.module());
                        assertArrayEquals(expected.down(), read.down(layer), layer.module());
                        assertArrayEquals(expected.up(), read.up(layer), layer.module());
                    }
                }
            }
        }
    }

    @Test
    void exportedFilesGiveTheImageOfTheLoraTheyWereMadeFrom(@TempDir Path dir) throws Exception {
        try (DiffusionModel base = DiffusionModels.open(SdTiny.SD1); WeightSource reference = SdTiny.references()) {
            FixtureRuns runs = new FixtureRuns(reference, SdTiny.description());
            LoraWeights weights;
            try (LoraFile init = base.openLora(INIT)) {
                weights = LoraWeights.from(init, SPEC);
            }
            float[] baseImage = runs.image(base, "run_ddim");
            float[] original = image(base, runs, INIT);
            assertTrue(SdTiny.maxAbsDiff(baseImage, original) > 0, "the LoRA changes the image");
            for (LoraExport.Format format : LoraExport.Format.values()) {
                Path file = LoraExport.write(weights, format, dir.resolve(format + ".safetensors"));
                assertArrayEquals(original, image(base, runs, file), format + " export");
            }
        }
    }

    private static float[] image(DiffusionModel base, FixtureRuns runs, Path loraFile) {
        try (LoraFile lora = base.openLora(loraFile); DiffusionModel view = base.withLoras(List.of(new ScaledLora(lora, 1)))) {
            return runs.image(view, "run_ddim");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** name -> dtype + shape of the tensors {@code keep} accepts. */
    private static Map<String, String> header(SafetensorsFile file, java.util.function.Predicate<String> keep) {
        Map<String, String> header = new TreeMap<>();
        Set<String> names = new TreeSet<>(file.names());
        for (String name : names) {
            if (keep.test(name)) {
                header.put(name, file.info(name).dtype() + java.util.Arrays.toString(file.info(name).shape()).replace(" ", ""));
            }
        }
        return header;
    }
}
