package io.stipple.engine.sd.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.sd.nn.TorchWeights;
import io.stipple.engine.weights.WeightSource;
import io.stipple.engine.weights.WeightSources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
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

    private static final double TOLERANCE = 1e-4;
    private static UNetFixture fixture;

    @BeforeAll
    static void open() {
        fixture = UNetFixture.open();
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    /** Runs the U-Net of {@code folder} on the fixture's inputs and fetches the given module outputs. */
    private static Map<String, float[]> run(String folder, List<String> modules, Map<String, long[]> shapes)
            throws Exception {
        Path unet = UNetFixture.path(folder);
        UNetConfig config = UNetConfigReader.read(unet.resolve("config.json"));
        try (Graph graph = new Graph(); Session session = new Session(graph);
                WeightSource weights = WeightSources.open(unet.resolve("diffusion_pytorch_model.safetensors"));
                TFloat32 sample = fixture.nhwcTensor("unet.in.sample");
                TFloat32 timestep = fixture.nhwcTensor("unet.in.timestep");
                TFloat32 context = fixture.nhwcTensor("unet.in.encoder_hidden_states")) {
            Ops tf = Ops.create(graph);
            TorchWeights torchWeights = new TorchWeights(tf);
            UNetGraph net = UNetGraph.build(tf, torchWeights, config);
            torchWeights.load(session, weights);
            var runner = session.runner().feed(net.sample(), sample).feed(net.timestep(), timestep)
                    .feed(net.context(), context);
            List<Operand<TFloat32>> fetched = new ArrayList<>();
            for (String module : modules) {
                fetched.add(module.equals("out") ? net.outputs().output() : net.outputs().probe(module));
                runner.fetch(fetched.get(fetched.size() - 1));
            }
            Map<String, float[]> values = new LinkedHashMap<>();
            try (Result result = runner.run()) {
                for (int i = 0; i < modules.size(); i++) {
                    TFloat32 tensor = (TFloat32) result.get(i);
                    float[] data = new float[(int) tensor.size()];
                    tensor.asRawTensor().data().asFloats().read(data);
                    values.put(modules.get(i), data);
                    shapes.put(modules.get(i), tensor.shape().asArray());
                }
            }
            return values;
        }
    }

    @Test
    void sd1StructureMatchesDiffusersAtEveryProbe() throws Exception {
        List<String> probes = List.of("time_proj", "time_embedding", "conv_in", "down_blocks.0.resnets.0",
                "down_blocks.0.attentions.0.transformer_blocks.0.attn1",
                "down_blocks.0.attentions.0.transformer_blocks.0.ff", "down_blocks.0.attentions.0",
                "down_blocks.1", "mid_block", "up_blocks.0", "up_blocks.1", "out");
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> actual = run("tiny-sd-pipeline/unet", probes, shapes);
        for (String probe : probes) {
            String reference = probe.equals("out") ? "unet.out" : "unet.probe." + probe;
            double error = fixture.assertMatches(reference, actual.get(probe), shapes.get(probe), TOLERANCE);
            System.out.printf(Locale.ROOT, "%s: max difference %.2e of scale%n", reference, error);
        }
    }

    @Test
    void sd2StructureWithLinearProjectionsAndHeadsPerLevelMatchesDiffusers() throws Exception {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        float[] out = run("unet-sd2style", List.of("out"), shapes).get("out");
        double error = fixture.assertMatches("unet2.out", out, shapes.get("out"), TOLERANCE);
        System.out.printf(Locale.ROOT, "unet2.out: max difference %.2e of scale%n", error);
        assertEquals(4, shapes.get("out").length);
    }

    @Test
    void oneSetOfWeightsRunsAnyBatchAndNonSquareSize() throws Exception {
        Path unet = UNetFixture.path("tiny-sd-pipeline/unet");
        UNetConfig config = UNetConfigReader.read(unet.resolve("config.json"));
        try (Graph graph = new Graph(); Session session = new Session(graph);
                WeightSource weights = WeightSources.open(unet.resolve("diffusion_pytorch_model.safetensors"))) {
            Ops tf = Ops.create(graph);
            TorchWeights torchWeights = new TorchWeights(tf);
            UNetGraph net = UNetGraph.build(tf, torchWeights, config);
            torchWeights.load(session, weights);
            float[] pair = predict(session, net, 2, 16, 24, 5);
            float[] first = predict(session, net, 1, 16, 24, 5);
            float[] firstOfPair = Arrays.copyOf(pair, first.length);
            assertTrue(UNetFixture.relativeError(firstOfPair, first) < 1e-5,
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
