package io.stipple.engine.sd.singlefile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.sd.clip.ClipTextConfig;
import io.stipple.engine.sd.unet.UNetConfigReader;
import io.stipple.engine.sd.vae.AutoencoderKLConfig;
import io.stipple.engine.weights.CheckpointFormatException;
import io.stipple.engine.weights.DType;
import io.stipple.engine.weights.SafetensorsWriter;
import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.weights.WeightSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture's SD 1.x single files (the tiny pipeline saved with LDM names by diffusers, fp32 and
 * fp16) against the pipeline folder they were made from: every component tensor, name for name.
 */
class SingleFileCheckpointTest {

    static final Path FP32 = SdTiny.ROOT.resolve("tiny-sd-a1111.safetensors");
    static final Path FP16 = SdTiny.ROOT.resolve("tiny-sd-a1111-fp16.safetensors");
    private static final Map<String, String> COMPONENTS = Map.of("unet", "unet", "vae", "vae", "text_encoder", "text_encoder");

    @Test
    void fp32FileHoldsTheFoldersTensorsExactlyNameForName() throws IOException {
        try (SingleFileCheckpoint checkpoint = SingleFileCheckpoint.open(FP32)) {
            int compared = 0;
            for (String component : COMPONENTS.keySet()) {
                try (WeightSource folder = WeightSources.openComponent(SdTiny.SD1.resolve(component))) {
                    WeightSource converted = component(checkpoint, component);
                    assertEquals(folder.names(), converted.names(), component);
                    for (String name : folder.names()) {
                        assertArrayEquals(folder.info(name).shape(), converted.info(name).shape(), name);
                        assertArrayEquals(folder.floats(name), converted.floats(name), name);
                        compared++;
                    }
                }
            }
            assertEquals(632, compared);
            assertTrue(checkpoint.unusedKeys().isEmpty(), checkpoint.unusedKeys().toString());
            assertEquals("first_stage_model.decoder.up.0.block.1.conv1.weight",
                    checkpoint.sourceKey(checkpoint.vae(), "decoder.up_blocks.3.resnets.1.conv1.weight"));
        }
    }

    @Test
    void fp16FileHoldsTheFoldersTensorsWithinHalfPrecisionRounding() throws IOException {
        try (SingleFileCheckpoint checkpoint = SingleFileCheckpoint.open(FP16)) {
            for (String component : COMPONENTS.keySet()) {
                try (WeightSource folder = WeightSources.openComponent(SdTiny.SD1.resolve(component))) {
                    WeightSource converted = component(checkpoint, component);
                    assertEquals(folder.names(), converted.names(), component);
                    for (String name : folder.names()) {
                        assertEquals(DType.F16, converted.info(name).dtype(), name);
                        float[] expected = folder.floats(name);
                        float[] actual = converted.floats(name);
                        for (int i = 0; i < expected.length; i++) {
                            // rounding to 11 significant bits moves a value by at most 2^-11 of it (2^-25 below half's normals)
                            double bound = Math.max(Math.abs(expected[i]) / 2048, 0x1p-25);
                            assertTrue(Math.abs(expected[i] - actual[i]) <= bound,
                                    name + "[" + i + "]: " + expected[i] + " vs " + actual[i]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void inferredConfigsEqualTheFoldersWhereTheyMatter() throws IOException {
        try (SingleFileCheckpoint checkpoint = SingleFileCheckpoint.open(FP32)) {
            // the tiny CLIP is 32 wide with 4 heads and its own end-of-text id, and the tiny model's native size is
            // 256: stated, as no file says them (the real models' heads and ids are the defaults)
            SingleFileConfigs configs = checkpoint.configs(new StatedConfig("epsilon", 4, 955, 256));
            assertEquals(UNetConfigReader.read(SdTiny.SD1.resolve("unet/config.json")), configs.unet());
            assertEquals(AutoencoderKLConfig.read(SdTiny.SD1.resolve("vae/config.json")), configs.vae());
            assertEquals(ClipTextConfig.read(SdTiny.SD1.resolve("text_encoder/config.json")), configs.textEncoder());
            assertFalse(configs.sd2());
            assertFalse(configs.inpainting());
            assertFalse(checkpoint.openClip());
        }
    }

    @Test
    void aTextEncoderThatDoesNotSplitIntoHeadsOf64MustBeStated() throws IOException {
        try (SingleFileCheckpoint checkpoint = SingleFileCheckpoint.open(FP32)) {
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                    () -> checkpoint.configs(StatedConfig.sdDefaults()));
            assertTrue(e.getMessage().contains("width 32") && e.getMessage().contains("state its number of heads"),
                    e.getMessage());
        }
    }

    @Test
    void aTruncatedFileIsRefusedNamingIt(@TempDir Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(FP32);
        Path truncated = Files.write(dir.resolve("truncated.safetensors"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SingleFileCheckpoint.open(truncated));
        assertTrue(e.getMessage().contains("truncated.safetensors"), e.getMessage());
    }

    @Test
    void aDiffusersComponentFileIsNotASingleFile() {
        Path unet = SdTiny.SD1.resolve("unet/diffusion_pytorch_model.safetensors");
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SingleFileCheckpoint.open(unet));
        assertTrue(e.getMessage().contains("304 keys that are not those of an SD 1.x/2.x single-file checkpoint")
                && e.getMessage().contains("conv_in.bias"), e.getMessage());
    }

    @Test
    void aFileWithoutItsVaeIsRefusedNamingWhatIsMissing(@TempDir Path dir) throws IOException {
        Path unetOnly = dir.resolve("unet-only.safetensors");
        try (WeightSource file = WeightSources.open(FP32)) {
            Map<String, SafetensorsWriter.Tensor> kept = new LinkedHashMap<>();
            file.names().stream().filter(key -> !key.startsWith("first_stage_model."))
                    .forEach(key -> kept.put(key, new SafetensorsWriter.Tensor(file.info(key).shape(), file.floats(key))));
            SafetensorsWriter.write(unetOnly, kept);
        }
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> SingleFileCheckpoint.open(unetOnly));
        assertTrue(e.getMessage().contains("no VAE in this file (no first_stage_model.* keys)"), e.getMessage());
    }

    private static WeightSource component(SingleFileCheckpoint checkpoint, String component) {
        return switch (component) {
            case "unet" -> checkpoint.unet();
            case "vae" -> checkpoint.vae();
            default -> checkpoint.textEncoder();
        };
    }
}
