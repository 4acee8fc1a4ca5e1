package io.stipple.engine.sd.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.sd.ComponentParity;
import io.stipple.engine.sd.nn.TorchWeights;
import io.stipple.engine.weights.SafetensorsFile;
import io.stipple.engine.weights.WeightSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The U-Net against diffusers on the fixture's tiny random-weight models: one forward pass (batch
 * 2, t = 999 and 37.5) with every probe diffusers recorded inside it, within 1e-4 of each
 * reference's scale (the fixture README's tolerance for components).
 */
class UNetParityTest {

    /** Runs the U-Net of {@code folder} on the fixture's inputs and compares the given modules' outputs with diffusers'. */
    private static void assertMatchesDiffusers(String folder, Map<String, String> referenceByModule) throws Exception {
        Path unet = SdTiny.ROOT.resolve(folder);
        UNetConfig config = UNetConfigReader.read(unet.resolve("config.json"));
        try (Graph graph = new Graph(); Session session = new Session(graph);
                WeightSource weights = SafetensorsFile.open(unet.resolve("diffusion_pytorch_model.safetensors"));
                TFloat32 sample = ComponentParity.nhwcTensor("unet.in.sample");
                TFloat32 timestep = ComponentParity.tensor("unet.in.timestep");
                TFloat32 context = ComponentParity.tensor("unet.in.encoder_hidden_states")) {
            Ops tf = Ops.create(graph);
            TorchWeights torchWeights = new TorchWeights(tf);
            UNetGraph net = UNetGraph.build(tf, torchWeights, config);
            torchWeights.load(session, weights);
            var runner = session.runner().feed(net.sample(), sample).feed(net.timestep(), timestep)
                    .feed(net.context(), context);
            List<String> modules = new ArrayList<>(referenceByModule.keySet());
            for (String module : modules) {
                runner.fetch(module.equals("out") ? net.outputs().output() : net.outputs().probe(module));
            }
            try (Result result = runner.run()) {
                for (int i = 0; i < modules.size(); i++) {
                    String reference = referenceByModule.get(modules.get(i));
                    if (result.get(i).shape().numDimensions() == 4) {
                        ComponentParity.assertMatchesNhwc(reference, result.get(i));
                    } else {
                        ComponentParity.assertMatches(reference, result.get(i));
                    }
                }
            }
        }
    }

    @Test
    void sd1StructureMatchesDiffusersAtEveryProbe() throws Exception {
        Map<String, String> references = new LinkedHashMap<>();
        for (String probe : List.of("time_proj", "time_embedding", "conv_in", "down_blocks.0.resnets.0",
                "down_blocks.0.attentions.0.transformer_blocks.0.attn1",
                "down_blocks.0.attentions.0.transformer_blocks.0.ff", "down_blocks.0.attentions.0",
                "down_blocks.1", "mid_block", "up_blocks.0", "up_blocks.1")) {
            references.put(probe, "unet.probe." + probe);
        }
        references.put("out", "unet.out");
        assertMatchesDiffusers("tiny-sd-pipeline/unet", references);
    }

    @Test
    void sd2StructureWithLinearProjectionsAndHeadsPerLevelMatchesDiffusers() throws Exception {
        assertMatchesDiffusers("unet-sd2style", Map.of("out", "unet2.out"));
    }

    @Test
    void oneSetOfWeightsRunsAnyBatchAndNonSquareSize() throws Exception {
        Path unet = SdTiny.SD1.resolve("unet");
        UNetConfig config = UNetConfigReader.read(unet.resolve("config.json"));
        try (Graph graph = new Graph(); Session session = new Session(graph);
                WeightSource weights = SafetensorsFile.open(unet.resolve("diffusion_pytorch_model.safetensors"))) {
            Ops tf = Ops.create(graph);
            TorchWeights torchWeights = new TorchWeights(tf);
            UNetGraph net = UNetGraph.build(tf, torchWeights, config);
            torchWeights.load(session, weights);
            float[] pair = predict(session, net, 2, 16, 24, 5);
            float[] first = predict(session, net, 1, 16, 24, 5);
            float[] firstOfPair = Arrays.copyOf(pair, first.length);
            assertTrue(SdTiny.maxAbsDiff(firstOfPair, first) < 1e-5 * SdTiny.maxAbs(first),
                    "a row's prediction does not depend on the other rows of its batch");
            assertEquals(3 * 40 * 8 * 4, predict(session, net, 3, 40, 8, 3).length);
        }
    }

    /** The prediction for a deterministic sample of the given size; row b's inputs do not depend on the batch size. */
    private static float[] predict(Session session, UNetGraph net, int batch, int height, int width, int textLength) {
        float[] sample = new float[batch * height * width * 4];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = (float) Math.sin(i * 0.37);
        }
        float[] timesteps = new float[batch];
        float[] text = new float[batch * textLength * 32];
        for (int b = 0; b < batch; b++) {
            timesteps[b] = 500.5f + 100 * b;
        }
        for (int i = 0; i < text.length; i++) {
            text[i] = (float) Math.cos(i * 0.11);
        }
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(batch, height, width, 4), DataBuffers.of(sample, true, false));
                TFloat32 t = TFloat32.tensorOf(Shape.of(batch), DataBuffers.of(timesteps, true, false));
                TFloat32 c = TFloat32.tensorOf(Shape.of(batch, textLength, 32), DataBuffers.of(text, true, false));
                Result result = session.runner().feed(net.sample(), x).feed(net.timestep(), t).feed(net.context(), c)
                        .fetch(net.outputs().output()).run()) {
            TFloat32 out = (TFloat32) result.get(0);
            assertArrayEquals(new long[] {batch, height, width, 4}, out.shape().asArray());
            float[] values = new float[(int) out.size()];
            out.asRawTensor().data().asFloats().read(values);
            return values;
        }
    }
}
