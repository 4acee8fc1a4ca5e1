package io.stipple.engine.weights;

import static io.stipple.engine.weights.SafetensorsBytes.entry;
import static io.stipple.engine.weights.SafetensorsBytes.f32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a diffusers component's weights in its folder. */
class WeightSourcesTest {

    @TempDir
    Path folder;

    private void weights(String name, float value) throws IOException {
        SafetensorsBytes.write(folder.resolve(name), "{" + entry("w", "F32", "[1]", 0, 4) + "}", f32(value));
    }

    @Test
    void opensTheFixturesComponentsByTheirDiffusersAndTransformersNames() throws IOException {
        Path pipeline = SafetensorsFileTest.FIXTURE.resolve("tiny-sd-pipeline");
        try (WeightSource unet = WeightSources.openComponent(pipeline.resolve("unet"));
                WeightSource clip = WeightSources.openComponent(pipeline.resolve("text_encoder"))) {
            assertEquals(304, unet.names().size());
            assertEquals(84, clip.names().size());
        }
    }

    @Test
    void prefersThePlainFileOverAVariantAndTakesALoneVariant() throws IOException {
        weights("diffusion_pytorch_model.fp16.safetensors", 2);
        try (WeightSource only = WeightSources.openComponent(folder)) {
            assertArrayEquals(new float[] {2}, only.floats("w"));
        }
        weights("diffusion_pytorch_model.safetensors", 1);
        try (WeightSource plain = WeightSources.openComponent(folder)) {
            assertInstanceOf(SafetensorsFile.class, plain);
            assertArrayEquals(new float[] {1}, plain.floats("w"));
        }
    }

    @Test
    void severalUnnamedFilesOrOnlyPicklesAreRefusedByName() throws IOException {
        Files.write(folder.resolve("diffusion_pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
        assertEquals(folder + ": only PyTorch pickle weights (diffusion_pytorch_model.bin); Stipple reads safetensors only,"
                + " since unpickling can run code: convert them to safetensors first",
                assertThrows(CheckpointFormatException.class, () -> WeightSources.openComponent(folder)).getMessage());
        weights("a.fp16.safetensors", 1);
        weights("b.bf16.safetensors", 1);
        assertEquals(folder + ": several weight files and none named diffusion_pytorch_model.safetensors or model.safetensors:"
                + " a.fp16.safetensors, b.bf16.safetensors",
                assertThrows(CheckpointFormatException.class, () -> WeightSources.openComponent(folder)).getMessage());
    }

    @Test
    void aFolderWithoutWeightsIsNamed() {
        assertEquals(folder.toString(),
                assertThrows(NoSuchFileException.class, () -> WeightSources.openComponent(folder)).getFile());
    }
}
