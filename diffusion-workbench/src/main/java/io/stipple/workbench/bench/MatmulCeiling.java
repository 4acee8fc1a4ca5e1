package io.stipple.workbench.bench;

import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The machine's practical fp32 ceiling: one large square {@code MatMul} in its own session with the
 * same {@link ConfigProto} (threads, XLA) as the model under test. The operands are fed, not
 * constants, so graph optimisation cannot fold the product away; the result is computed but not
 * copied out.
 */
public final class MatmulCeiling implements AutoCloseable {

    private final int size;
    private final Graph graph = new Graph();
    private final Session session;
    private final Placeholder<TFloat32> left;
    private final Placeholder<TFloat32> right;
    private final MatMul<TFloat32> product;
    private final TFloat32 a;
    private final TFloat32 b;

    public MatmulCeiling(int size, ConfigProto config, long seed) {
        this.size = size;
        Ops tf = Ops.create(graph);
        left = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(size, size)));
        right = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(size, size)));
        product = tf.linalg.matMul(left, right);
        session = new Session(graph, config);
        SplittableRandom random = new SplittableRandom(seed);
        a = randomMatrix(random);
        b = randomMatrix(random);
    }

    private TFloat32 randomMatrix(SplittableRandom random) {
        float[] values = new float[size * size];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return TFloat32.tensorOf(Shape.of(size, size), DataBuffers.of(values, true, false));
    }

    public double flops() {
        return 2.0 * size * size * size;
    }

    /** Runs the product once. */
    public void run() {
        session.runner().feed(left, a).feed(right, b).addTarget(product).run();
    }

    @Override
    public void close() {
        a.close();
        b.close();
        session.close();
        graph.close();
    }
}
