package io.stipple.workbench.model;

import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.model.ImageSize;
import io.stipple.engine.model.ModelFamily;
import io.stipple.engine.model.UnsupportedImageSizeException;
import io.stipple.engine.model.UnsupportedModelFamilyException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.workbench.models.BundledModels;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.weights.ModelFormatException;
import io.stipple.engine.export.StippleModel;
import io.stipple.engine.sd.StableDiffusionModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader recognises each family by its folder, and the bundled model behaves as a pixel-space DiffusionModel. */
class DiffusionModelsTest {

    private static final Path TINY_SD = Path.of("..", "test-fixtures", "sd-tiny", "tiny-sd-pipeline");

    @Test
    void opensAStippleFolderAsAPixelSpaceModelOfOneSize() throws IOException {
        Path folder = Path.of("..").resolve(BundledModels.BASE);
        assertEquals(ModelFamily.STIPPLE, DiffusionModels.familyOf(folder));
        try (DiffusionModel model = DiffusionModels.open(folder)) {
            assertInstanceOf(StippleModel.class, model);
            StippleModel stipple = (StippleModel) model;
            assertEquals(stipple.card().name() + "@" + stipple.card().version(), model.identity().reference());
            assertEquals(ModelFamily.STIPPLE, model.identity().family());
            assertEquals(ImageSize.square(16), model.defaults().nativeSize());
            assertEquals(stipple.card().defaults().sampler(), model.defaults().sampler());
            assertEquals(stipple.card().defaults().steps(), model.defaults().steps());
            assertArrayEquals(new int[] {16, 16, 3}, model.sampleShape(ImageSize.square(16)));
            var e = assertThrows(UnsupportedImageSizeException.class, () -> model.sampleShape(ImageSize.square(32)));
            assertTrue(e.getMessage().contains("cannot make 32x32 images (16x16 only)"), e.getMessage());
            assertTrue(model.codec().pixelSpace());
            Tensor images = Tensor.of(new float[16 * 16 * 3], 1, 16, 16, 3);
            assertEquals(images, model.codec().decode(model.codec().encode(images)));
            assertTrue(model.textConditioned());
            assertEquals(List.of("zorgle"), model.prompts().unknownWords("a red zorgle"));
            assertEquals(model.prompts().encode(List.of("")).get("text_embedding"),
                    model.prompts().unconditional(1).get("text_embedding"));
            assertTrue(model.superResolution().isEmpty());
        }
    }

    @Test
    void aDiffusersFolderOpensAsStableDiffusion() throws IOException {
        assertEquals(ModelFamily.STABLE_DIFFUSION, DiffusionModels.familyOf(TINY_SD));
        try (DiffusionModel model = DiffusionModels.open(TINY_SD)) {
            assertInstanceOf(StableDiffusionModel.class, model);
            assertFalse(model.codec().pixelSpace());
            assertArrayEquals(new int[] {16, 16, 4}, model.sampleShape(ImageSize.square(128)));
            var e = assertThrows(UnsupportedImageSizeException.class, () -> model.sampleShape(new ImageSize(100, 128)));
            assertTrue(e.getMessage().contains("multiples of 8"), e.getMessage());
        }
    }

    @Test
    void aDiffusersPipelineOfAnotherClassIsNotSupported(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("model_index.json"), "{\"_class_name\": \"StableDiffusionXLPipeline\"}");
        var e = assertThrows(UnsupportedModelFamilyException.class, () -> DiffusionModels.open(folder));
        assertTrue(e.getMessage().contains("StableDiffusionXLPipeline"), e.getMessage());
        assertTrue(e.getMessage().contains("runs StableDiffusionPipeline folders"), e.getMessage());
    }

    @Test
    void aFolderOfNoFamilyIsRefusedNamingWhatWasLookedFor(@TempDir Path empty) {
        var e = assertThrows(ModelFormatException.class, () -> DiffusionModels.open(empty));
        assertTrue(e.getMessage().contains("model_card.json") && e.getMessage().contains("model_index.json"),
                e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }
}
