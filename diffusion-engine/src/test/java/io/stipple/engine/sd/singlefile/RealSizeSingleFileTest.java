package io.stipple.engine.sd.singlefile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.sd.Manifests;
import io.stipple.engine.sd.clip.ClipTextConfig;
import io.stipple.engine.sd.unet.UNetConfigReader;
import io.stipple.engine.sd.vae.AutoencoderKLConfig;
import io.stipple.engine.weights.DType;
import io.stipple.engine.weights.TensorInfo;
import io.stipple.engine.weights.WeightSource;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The real SD 1.5 single file's names and shapes ({@code manifest-sd15-single-file.json}, 1,130
 * tensors, from diffusers without weights): converted, they are exactly the SD 1.5 U-Net, VAE and
 * CLIP-L manifests, and the inferred configs are SD 1.5's. The tiny fixture cannot show this: its
 * U-Net has no upsampler after an attention level ({@code output_blocks.N.2.conv}) and one level
 * fewer.
 */
class RealSizeSingleFileTest {

    @Test
    void sd15SingleFileConvertsToTheDiffusersManifestsAndConfigs() throws IOException {
        Map<String, Map<String, List<Long>>> manifest = new ObjectMapper().readValue(
                SdTiny.ROOT.resolve("manifest-sd15-single-file.json").toFile(), new TypeReference<>() {
                });
        try (SingleFileCheckpoint checkpoint = new SingleFileCheckpoint(new ShapesOnly(manifest.get("sd15/a1111_single_file")))) {
            assertEquals(Manifests.of("sd15/unet"), shapes(checkpoint.unet()));
            assertEquals(Manifests.of("sd15/vae"), shapes(checkpoint.vae()));
            assertEquals(Manifests.of("sd15/text_encoder"), shapes(checkpoint.textEncoder()));
            SingleFileConfigs configs = checkpoint.configs(StatedConfig.sdDefaults());
            assertEquals(UNetConfigReader.reference("sd15"), configs.unet());
            assertEquals(AutoencoderKLConfig.read(Manifests.realConfig("sd15/vae")), configs.vae());
            assertEquals(ClipTextConfig.read(Manifests.realConfig("sd15/text_encoder")), configs.textEncoder());
        }
    }

    private static Map<String, List<Long>> shapes(WeightSource source) {
        Map<String, List<Long>> shapes = new TreeMap<>();
        for (String name : source.names()) {
            shapes.put(name, java.util.Arrays.stream(source.info(name).shape()).boxed().toList());
        }
        return shapes;
    }

    /** Names and shapes without values. */
    private record ShapesOnly(Map<String, List<Long>> shapes) implements WeightSource {

        @Override
        public Set<String> names() {
            return new java.util.TreeSet<>(shapes.keySet());
        }

        @Override
        public TensorInfo info(String name) {
            return new TensorInfo(name, DType.F32, shapes.get(name).stream().mapToLong(Long::longValue).toArray());
        }

        @Override
        public float[] floats(String name) {
            throw new UnsupportedOperationException("shapes only");
        }

        @Override
        public void close() {
        }
    }
}
