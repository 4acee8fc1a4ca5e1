package io.stipple.engine.sd.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.sd.ComponentParity;
import io.stipple.engine.sd.Manifests;
import io.stipple.engine.sd.nn.TorchWeights;
import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.weights.WeightSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** AutoencoderKL against diffusers on the fixture's tiny VAE, and against SD 1.5's manifest. */
class AutoencoderKLTest {

    private static final Path FOLDER = SdTiny.SD1.resolve("vae");

    @Test
    void encoderAndDecoderMatchDiffusersInOneGraphOfUnknownSize() throws IOException {
        AutoencoderKLConfig config = AutoencoderKLConfig.read(FOLDER.resolve("config.json"));
        assertEquals(8, config.downscale());
        assertEquals(List.of(32, 32, 64, 64), config.blockOutChannels());
        try (Graph graph = new Graph(); Session session = new Session(graph);
                WeightSource weights = WeightSources.openComponent(FOLDER);
                TFloat32 image = ComponentParity.nhwcTensor("vae.encode.in");
                TFloat32 latents = ComponentParity.nhwcTensor("vae.decode.in")) {
            Ops tf = Ops.create(graph);
            TorchWeights w = new TorchWeights(tf, "vae.", Set.of());
            var imageInput = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 3)));
            var latentInput = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 4)));
            AutoencoderKL.LatentDistribution encoded = AutoencoderKL.encode(tf, w, config, imageInput);
            var decoded = AutoencoderKL.decode(tf, w, config, latentInput);
            w.load(session, weights);
            try (Result result = session.runner().feed(imageInput, image).feed(latentInput, latents)
                    .fetch(encoded.mean()).fetch(encoded.logVariance()).fetch(decoded).run()) {
                ComponentParity.assertMatchesNhwc("vae.encode.mean", result.get(0));
                ComponentParity.assertMatchesNhwc("vae.encode.logvar", result.get(1));
                ComponentParity.assertMatchesNhwc("vae.decode.out", result.get(2));
            }
            // The same graph and weights at another, non-square size.
            try (TFloat32 wide = TFloat32.tensorOf(Shape.of(2, 8, 12, 4));
                    Result result = session.runner().feed(latentInput, wide).fetch(decoded).run()) {
                assertArrayEquals(new long[] {2, 64, 96, 3}, result.get(0).shape().asArray());
            }
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
