package io.stipple.engine.sd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.weights.ModelFormatException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Checks the torch-compatible layers against plain-Java reference implementations of the PyTorch
 * semantics (NCHW, OIHW, [out, in] weights), on graphs whose batch and spatial sizes are unknown.
 */
class TorchLayersTest {

    private static final SplittableRandom RANDOM = new SplittableRandom(7);

    private static float[] random(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) RANDOM.nextGaussian();
        }
        return values;
    }

    private static float[] run(Session session, Placeholder<TFloat32> input, float[] values, Shape shape,
            Operand<TFloat32> output) {
        try (TFloat32 x = TFloat32.tensorOf(shape, DataBuffers.of(values));
                Result result = session.runner().feed(input, x).fetch(output).run()) {
            TFloat32 y = (TFloat32) result.get(0);
            float[] out = new float[(int) y.size()];
            y.asRawTensor().data().asFloats().read(out);
            return out;
        }
    }

    private static void assertClose(float[] expected, float[] actual, double tolerance) {
        assertEquals(expected.length, actual.length, "element count");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerance, "element " + i);
        }
    }

    /** torch conv2d of NCHW-less NHWC input x [H, W, I] (batch 1) with OIHW weights and explicit padding. */
    private static float[] referenceConv(float[] x, int h, int wd, int in, float[] weight, float[] bias, int out,
            int k, int stride, Padding p) {
        int oh = (h + p.top() + p.bottom() - k) / stride + 1;
        int ow = (wd + p.left() + p.right() - k) / stride + 1;
        float[] y = new float[oh * ow * out];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                for (int o = 0; o < out; o++) {
                    double sum = bias[o];
                    for (int c = 0; c < in; c++) {
                        for (int di = 0; di < k; di++) {
                            for (int dj = 0; dj < k; dj++) {
                                int r = i * stride + di - p.top();
                                int s = j * stride + dj - p.left();
                                if (r >= 0 && r < h && s >= 0 && s < wd) {
                                    sum += x[(r * wd + s) * in + c] * weight[((o * in + c) * k + di) * k + dj];
                                }
                            }
                        }
                    }
                    y[(i * ow + j) * out + o] = (float) sum;
                }
            }
        }
        return y;
    }

    @ParameterizedTest
    @EnumSource(ConvolutionKernel.class)
    void convolutionsLoadOihwWeightsAndPadLikeTorchAtAnySize(ConvolutionKernel kernel) {
        int in = 3;
        int out = 4;
        float[] weight = random(out * in * 9);
        float[] bias = random(out);
        float[] pointWeight = random(out * in);
        var checkpoint = new InMemoryWeights()
                .put("down.weight", weight, out, in, 3, 3).put("down.bias", bias, out)
                .put("same.weight", weight, out, in, 3, 3).put("same.bias", bias, out)
                .put("strided.weight", weight, out, in, 3, 3).put("strided.bias", bias, out)
                .put("point.weight", pointWeight, out, in, 1, 1).put("point.bias", bias, out);
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            TorchWeights w = new TorchWeights(tf);
            w.convolveWith(kernel);
            var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, in)));
            var down = TorchLayers.conv2d(tf, w, "down", x, in, out, 3, 2, Padding.of(0, 1, 0, 1));
            var same = TorchLayers.conv2d(tf, w, "same", x, in, out, 3, 1, Padding.all(1));
            var strided = TorchLayers.conv2d(tf, w, "strided", x, in, out, 3, 2, Padding.all(1));
            var point = TorchLayers.conv2d(tf, w, "point", x, in, out, 1, 1, Padding.all(0));
            assertEquals(List.of(4L, 3L, 3L, 3L), w.torchShapes().get("down.weight"));
            assertEquals(List.of(4L, 3L, 1L, 1L), w.torchShapes().get("point.weight"));
            w.load(session, checkpoint);
            for (int size : new int[] {6, 7}) {
                float[] image = random(size * (size + 2) * in);
                Shape shape = Shape.of(1, size, size + 2, in);
                assertClose(referenceConv(image, size, size + 2, in, weight, bias, out, 3, 2, Padding.of(0, 1, 0, 1)),
                        run(session, x, image, shape, down), 1e-4);
                assertClose(referenceConv(image, size, size + 2, in, weight, bias, out, 3, 1, Padding.all(1)),
                        run(session, x, image, shape, same), 1e-4);
                assertClose(referenceConv(image, size, size + 2, in, weight, bias, out, 3, 2, Padding.all(1)),
                        run(session, x, image, shape, strided), 1e-4);
                assertClose(referenceConv(image, size, size + 2, in, pointWeight, bias, out, 1, 1, Padding.all(0)),
                        run(session, x, image, shape, point), 1e-4);
            }
        }
    }

    @Test
    void linearTakesTorchOutInWeightsOverAnyLeadingAxes() {
        float[] weight = random(3 * 2);
        float[] bias = {0.5f, -1f, 2f};
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            TorchWeights w = new TorchWeights(tf);
            var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, 2)));
            var y = TorchLayers.linear(tf, w, "proj", x, 2, 3);
            assertEquals(3, y.shape().get(2), "the output width stays static");
            w.load(session, new InMemoryWeights().put("proj.weight", weight, 3, 2).put("proj.bias", bias, 3));
            float[] input = random(2 * 5 * 2);
            float[] actual = run(session, x, input, Shape.of(2, 5, 2), y);
            for (int row = 0; row < 10; row++) {
                for (int o = 0; o < 3; o++) {
                    float expected = bias[o] + input[row * 2] * weight[o * 2] + input[row * 2 + 1] * weight[o * 2 + 1];
                    assertEquals(expected, actual[row * 3 + o], 1e-5);
                }
            }
        }
    }

    @Test
    void causalAttentionLetsEachPositionSeeOnlyItsPast() {
        int heads = 2;
        int width = 4;
        int length = 3;
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, width)));
            var causal = MultiHeadAttention.attend(tf, x, x, x, heads, true);
            var full = MultiHeadAttention.attend(tf, x, x, x, heads, false);
            float[] input = random(length * width);
            Shape shape = Shape.of(1, length, width);
            float[] masked = run(session, x, input, shape, causal);
            float[] unmasked = run(session, x, input, shape, full);
            for (int head = 0; head < heads; head++) {
                for (int i = 0; i < length; i++) {
                    float[] expected = referenceAttention(input, length, width, heads, head, i, i + 1);
                    float[] expectedFull = referenceAttention(input, length, width, heads, head, i, length);
                    for (int d = 0; d < width / heads; d++) {
                        assertEquals(expected[d], masked[i * width + head * 2 + d], 1e-5);
                        assertEquals(expectedFull[d], unmasked[i * width + head * 2 + d], 1e-5);
                    }
                }
            }
            assertArrayEquals(new float[] {input[0], input[1]}, new float[] {masked[0], masked[1]},
                    "the first position attends only to itself");
        }
    }

    /** Attention output of one head at query position i over key positions [0, visible). */
    private static float[] referenceAttention(float[] x, int length, int width, int heads, int head, int i, int visible) {
        int headWidth = width / heads;
        double[] scores = new double[visible];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < visible; j++) {
            double dot = 0;
            for (int d = 0; d < headWidth; d++) {
                dot += x[i * width + head * headWidth + d] * x[j * width + head * headWidth + d];
            }
            scores[j] = dot / Math.sqrt(headWidth);
            max = Math.max(max, scores[j]);
        }
        double total = 0;
        for (int j = 0; j < visible; j++) {
            scores[j] = Math.exp(scores[j] - max);
            total += scores[j];
        }
        float[] out = new float[headWidth];
        for (int d = 0; d < headWidth; d++) {
            double sum = 0;
            for (int j = 0; j < visible; j++) {
                sum += scores[j] / total * x[j * width + head * headWidth + d];
            }
            out[d] = (float) sum;
        }
        return out;
    }

    @Test
    void activationsAndUpsamplingMatchTorch() {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 1)));
            float[] input = {-2f, -0.5f, 0.5f, 3f};
            Shape shape = Shape.of(1, 2, 2, 1);
            // torch.nn.functional.gelu and x * sigmoid(1.702 x), computed in double.
            assertClose(new float[] {-0.0455003f, -0.1542688f, 0.3457312f, 2.9959503f},
                    run(session, x, input, shape, TorchLayers.activation(tf, "gelu", x)), 1e-6);
            assertClose(new float[] {-0.0643414f, -0.1496116f, 0.3503884f, 2.9819287f},
                    run(session, x, input, shape, TorchLayers.activation(tf, "quick_gelu", x)), 1e-6);
            assertArrayEquals(new float[] {-2, -2, -0.5f, -0.5f, -2, -2, -0.5f, -0.5f, 0.5f, 0.5f, 3, 3, 0.5f, 0.5f, 3, 3},
                    run(session, x, input, shape, TorchLayers.upsampleNearest2x(tf, x)));
            assertThrows(IllegalArgumentException.class, () -> TorchLayers.activation(tf, "relu6", x));
        }
    }

    @Test
    void groupNormUsesTheGivenEpsilonAndTorchWeights() {
        int channels = 4;
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            TorchWeights w = new TorchWeights(tf);
            var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, channels)));
            var y = TorchLayers.groupNorm(tf, w, "norm", x, channels, 2, 0.5f);
            float[] scale = {1f, 2f, 3f, 4f};
            float[] shift = {0f, 1f, 0f, -1f};
            w.load(session, new InMemoryWeights().put("norm.weight", scale, channels).put("norm.bias", shift, channels));
            float[] input = random(3 * channels);
            float[] actual = run(session, x, input, Shape.of(1, 1, 3, channels), y);
            for (int g = 0; g < 2; g++) {
                double sum = 0;
                double squares = 0;
                for (int p = 0; p < 3; p++) {
                    for (int c = 2 * g; c < 2 * g + 2; c++) {
                        sum += input[p * channels + c];
                        squares += input[p * channels + c] * input[p * channels + c];
                    }
                }
                double mean = sum / 6;
                double variance = squares / 6 - mean * mean;
                for (int p = 0; p < 3; p++) {
                    for (int c = 2 * g; c < 2 * g + 2; c++) {
                        double expected = (input[p * channels + c] - mean) / Math.sqrt(variance + 0.5) * scale[c] + shift[c];
                        assertEquals(expected, actual[p * channels + c], 1e-5);
                    }
                }
            }
        }
    }

    @Test
    void loadingNamesMissingUnknownAndMisshapenTensors() {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            TorchWeights w = new TorchWeights(tf, "te.", Set.of("text_model.embeddings.position_ids"));
            var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2)));
            TorchLayers.linear(tf, w, "a", x, 2, 3);
            var wrongShape = new InMemoryWeights().put("a.weight", random(6), 2, 3).put("a.bias", random(3), 3);
            var error = assertThrows(ModelFormatException.class, () -> w.load(session, wrongShape));
            assertTrue(error.getMessage().contains("a.weight is [2, 3], expected [3, 2]"), error.getMessage());

            var missingAndUnknown = new InMemoryWeights().put("a.weight", random(6), 3, 2).put("b.bias", random(3), 3)
                    .put("text_model.embeddings.position_ids", new float[] {0, 1}, 1, 2);
            error = assertThrows(ModelFormatException.class, () -> w.load(session, missingAndUnknown));
            assertTrue(error.getMessage().contains("1 weights missing from the checkpoint: a.bias"), error.getMessage());
            assertTrue(error.getMessage().contains("1 checkpoint tensors this network does not use: b.bias"),
                    error.getMessage());
        }
    }
}
