package io.stipple.engine.sd.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.sd.ComponentParity;
import io.stipple.engine.sd.Manifests;
import io.stipple.engine.sd.nn.TorchWeights;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** AutoencoderKL against diffusers on the fixture's tiny VAE, and against SD 1.5's manifest. */
class AutoencoderKLTest {

    @Test
    void encoderAndDecoderMatchDiffusersWithOneSetOfWeightsForEverySize() throws IOException {
        try (Vae vae = Vae.load(SdTiny.SD1.resolve("vae"))) {
            assertEquals(8, vae.config().downscale());
            assertEquals(List.of(32, 32, 64, 64), vae.config().blockOutChannels());
            Vae.Encoded encoded = vae.encode(ComponentParity.nhwcValues("vae.encode.in"));
            ComponentParity.assertMatchesNhwc("vae.encode.mean", encoded.mean());
            ComponentParity.assertMatchesNhwc("vae.encode.logvar", encoded.logVariance());
            Tensor latents = ComponentParity.nhwcValues("vae.decode.in");
            ComponentParity.assertMatchesNhwc("vae.decode.out", vae.decode(latents));

            // Pipelines' scaled latents: toImages(latents x scaling_factor) is decode(latents).
            float[] scaled = latents.data().clone();
            for (int i = 0; i < scaled.length; i++) {
                scaled[i] *= (float) vae.config().scalingFactor();
            }
            ComponentParity.assertMatchesNhwc("vae.decode.out", vae.toImages(latents.withData(scaled)));

            Tensor wide = vae.decode(Tensor.of(new float[2 * 8 * 12 * 4], 2, 8, 12, 4));
            assertArrayEquals(new int[] {2, 64, 96, 3}, wide.shape(), "a batch of non-square latents, same weights");
            assertArrayEquals(new int[] {1, 4, 6, 4}, vae.toLatents(Tensor.of(new float[32 * 48 * 3], 1, 32, 48, 3)).shape());
            var error = assertThrows(IllegalArgumentException.class,
                    () -> vae.toLatents(Tensor.of(new float[30 * 48 * 3], 1, 30, 48, 3)));
            assertEquals("image size 48x30 is not a positive multiple of 8 (the VAE's downscale factor)", error.getMessage());
        }
    }

    @Test
    void realSd15VaeHasTheManifestsWeights() throws IOException {
        AutoencoderKLConfig config = AutoencoderKLConfig.read(Manifests.realConfig("sd15/vae"));
        assertEquals(0.18215, config.scalingFactor(), "diffusers' default when the file has none");
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            TorchWeights w = new TorchWeights(tf);
            AutoencoderKL.encode(tf, w, config, tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 3))));
            AutoencoderKL.decode(tf, w, config, tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 4))));
            assertEquals(Manifests.of("sd15/vae"), w.torchShapes());
            assertEquals(83_653_863L, w.parameterCount());
        }
    }
}
