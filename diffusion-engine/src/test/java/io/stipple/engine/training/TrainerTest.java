package io.stipple.engine.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.nn.Layers;
import io.stipple.engine.nn.Parameters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class TrainerTest {

    private static final int BATCH = 16;
    private static final TrainerConfig CONFIG = new TrainerConfig(0.01f, 10, 0.9f, 0.999f, 1e-8f, 1f, 0.9f);

    /** A two-layer MLP regressing y = sin(3 x0) + x1 * x2. */
    private static final class Regression implements AutoCloseable {
        final Graph graph = new Graph();
        final Placeholder<TFloat32> x;
        final Placeholder<TFloat32> y;
        final Trainer trainer;

        Regression(long seed) {
            Ops tf = Ops.create(graph);
            Parameters params = new Parameters(tf, seed);
            x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3)));
            y = tf.withName("y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
            Operand<TFloat32> hidden = Layers.silu(tf, Layers.dense(tf, params, "hidden", x, 32));
            Operand<TFloat32> out = Layers.dense(tf, params, "out", hidden, 1);
            Operand<TFloat32> loss = tf.math.mean(tf.math.squaredDifference(out, y), tf.constant(new int[] {0, 1}));
            trainer = Trainer.create(graph, tf, params, loss, CONFIG);
        }

        StepResult step() {
            SplittableRandom random = new SplittableRandom(1234 + trainer.step());
            float[][] xs = new float[BATCH][3];
            float[][] ys = new float[BATCH][1];
            for (int i = 0; i < BATCH; i++) {
                for (int j = 0; j < 3; j++) {
                    xs[i][j] = (float) random.nextDouble(-1, 1);
                }
                ys[i][0] = (float) (Math.sin(3 * xs[i][0]) + xs[i][1] * xs[i][2]);
            }
            try (TFloat32 xt = TFloat32.tensorOf(StdArrays.ndCopyOf(xs));
                    TFloat32 yt = TFloat32.tensorOf(StdArrays.ndCopyOf(ys))) {
                return trainer.train(Map.<Operand<?>, Tensor>of(x, xt, y, yt));
            }
        }

        float[] emaWeights(String name) {
            Map<String, TFloat32> weights = trainer.averagedWeights();
            try {
                TFloat32 w = weights.get(name);
                float[] out = new float[(int) w.size()];
                w.asRawTensor().data().asFloats().read(out);
                return out;
            } finally {
                weights.values().forEach(Tensor::close);
            }
        }

        @Override
        public void close() {
            trainer.close();
            graph.close();
        }
    }

    @Test
    void lossFallsAndTheCurveIsWritten(@TempDir Path dir) throws Exception {
        List<StepResult> rows = new ArrayList<>();
        try (Regression model = new Regression(7); LossLog log = LossLog.open(dir.resolve("loss.csv"), 0)) {
            model.trainer.initialize();
            for (int i = 0; i < 300; i++) {
                StepResult result = model.step();
                log.append(result);
                rows.add(result);
            }
            LossPlot.write(log.rows(), "regression", dir.resolve("loss.png"));
        }
        double first = rows.subList(0, 20).stream().mapToDouble(StepResult::loss).average().orElseThrow();
        double last = rows.subList(280, 300).stream().mapToDouble(StepResult::loss).average().orElseThrow();
        assertTrue(last < 0.5 * first, "loss fell from " + first + " to only " + last);
        assertEquals(CONFIG.learningRate() / 10, rows.get(0).learningRate(), 1e-9f, "warmup starts low");
        assertEquals(CONFIG.learningRate(), rows.get(299).learningRate(), 1e-9f);
        assertEquals(300, LossLog.read(dir.resolve("loss.csv")).size());
        assertNotNull(ImageIO.read(dir.resolve("loss.png").toFile()));
    }

    @Test
    void resumingFromACheckpointRepeatsTheUninterruptedRunExactly(@TempDir Path dir) throws Exception {
        List<Float> straight = new ArrayList<>();
        float[] straightEma;
        try (Regression model = new Regression(3)) {
            model.trainer.initialize();
            for (int i = 0; i < 40; i++) {
                straight.add(model.step().loss());
            }
            straightEma = model.emaWeights("hidden_kernel");
        }

        List<Float> resumed = new ArrayList<>();
        float[] initialEma;
        try (Regression model = new Regression(3)) {
            model.trainer.initialize();
            initialEma = model.emaWeights("hidden_kernel");
            for (int i = 0; i < 20; i++) {
                resumed.add(model.step().loss());
            }
            model.trainer.save(dir.resolve("ckpt"));
            model.step(); // progress after the checkpoint must be discarded by the restore
        }
        try (Regression model = new Regression(999)) {
            model.trainer.restore(dir.resolve("ckpt"));
            assertEquals(20, model.trainer.step());
            for (int i = 0; i < 20; i++) {
                resumed.add(model.step().loss());
            }
            assertArrayEquals(straightEma, model.emaWeights("hidden_kernel"));
        }
        assertEquals(straight, resumed);
        assertNotEquals(initialEma[0], straightEma[0], "EMA weights moved");
    }
}
