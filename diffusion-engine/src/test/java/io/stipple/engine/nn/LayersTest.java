package io.stipple.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class LayersTest {

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

    @Test
    void groupNormNormalisesEachGroupOfEachExample() {
        Shape shape = Shape.of(2, 4, 4, 8);
        float[] values = new float[(int) shape.size()];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (3 + 5 * random.nextGaussian());
        }
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Parameters params = new Parameters(tf, 1);
            var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4, 4, 8)));
            var y = Layers.groupNorm(tf, params, "norm", x, 2);
            session.initialize();
            float[] out = run(session, x, values, shape, y);
            for (int b = 0; b < 2; b++) {
                for (int g = 0; g < 2; g++) {
                    double sum = 0;
                    double squares = 0;
                    int n = 0;
                    for (int p = 0; p < 16; p++) {
                        for (int c = g * 4; c < g * 4 + 4; c++) {
                            float v = out[((b * 16) + p) * 8 + c];
                            sum += v;
                            squares += v * v;
                            n++;
                        }
                    }
                    assertEquals(0, sum / n, 1e-4);
                    assertEquals(1, squares / n, 1e-3);
                }
            }
        }
    }

    @Test
    void blocksKeepTheFeatureMapShapeAndSameSeedGivesSameWeights() {
        float[][] outputs = new float[2][];
        for (int trial = 0; trial < 2; trial++) {
            try (Graph graph = new Graph(); Session session = new Session(graph)) {
                Ops tf = Ops.create(graph);
                Parameters params = new Parameters(tf, 42);
                var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4, 4, 8)));
                var t = tf.constant(new float[] {3f, 500f});
                var embedding = Layers.dense(tf, params, "temb", Layers.sinusoidalEmbedding(tf, t, 16, 10000f), 32);
                var text = tf.constant(new float[2][5][12]);
                var h = Blocks.residual(tf, params, "res", x, embedding, 16, 4);
                h = Blocks.spatialAttention(tf, params, "attn", h, text, 2, 4);
                h = Layers.downsample(tf, params, "down", h);
                h = Layers.upsample(tf, params, "up", h);
                assertEquals(Shape.of(2, 4, 4, 16), h.shape(), "batch inferred from the conditioning");
                session.initialize();
                float[] values = new float[2 * 4 * 4 * 8];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) Math.sin(i);
                }
                outputs[trial] = run(session, x, values, Shape.of(2, 4, 4, 8), h);
                assertEquals(2 * 4 * 4 * 16, outputs[trial].length);
            }
        }
        assertArrayEquals(outputs[0], outputs[1]);
    }

    @Test
    void parameterNamesMustBeFlatAndUnique() {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            Parameters params = new Parameters(tf, 1);
            params.constant("a_b", Shape.of(2), 0f);
            assertThrows(IllegalArgumentException.class, () -> params.constant("a/b", Shape.of(2), 0f));
            assertThrows(IllegalArgumentException.class, () -> params.constant("a_b", Shape.of(2), 0f));
        }
    }
}
