package io.stipple.workbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;

class ForwardFlopsTest {

    /**
     * image [B,8,8,3] -> 3x3 conv to 4 channels -> [B,256] -> transposed-kernel matmul to 5 units,
     * plus an attention-shaped [B,2,4,3] x [B,2,4,3]^T product on a side input. By hand, per row:
     * conv 2*8*8*4 * 3*3*3 = 13824; matmul 2*5*256 = 2560; batch matmul 2*(2*4*4)*3 = 192.
     */
    @Test
    void countsMultiplyAddsOfConvMatMulAndBatchMatMulAtTheGivenBatch() {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            var image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 8, 8, 3)));
            var queries = tf.withName("queries").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2, 4, 3)));
            Operand<TFloat32> conv = tf.nn.conv2d(image, tf.zeros(tf.constant(new long[] {3, 3, 3, 4}), TFloat32.class),
                    List.of(1L, 1L, 1L, 1L), "SAME");
            Operand<TFloat32> flat = tf.reshape(conv, tf.constant(new long[] {-1, 256}));
            Operand<TFloat32> kernelTransposed = tf.zeros(tf.constant(new long[] {5, 256}), TFloat32.class);
            Operand<TFloat32> dense = tf.linalg.matMul(flat, kernelTransposed, MatMul.transposeB(true));
            Operand<TFloat32> scores = tf.train.batchMatMul(queries, queries, TFloat32.class, BatchMatMul.adjY(true));
            Operand<TFloat32> pooled = tf.math.add(tf.reduceSum(dense, tf.constant(new int[] {1})),
                    tf.reduceSum(scores, tf.constant(new int[] {1, 2, 3})));
            tf.withName("out").identity(pooled);

            FlopCount three = ForwardFlops.count(graph.toGraphDef(), "out", 3);

            assertEquals(3L * 13824, three.flopsByOpType().get("Conv2D"));
            assertEquals(3L * 2560, three.flopsByOpType().get("MatMul"));
            assertEquals(3L * 192, three.flopsByOpType().get("BatchMatMulV3"));
            assertEquals(3L * (13824 + 2560 + 192), three.flops());
            assertTrue(three.otherElements() > 0, "reductions and the add are counted as other elements");
            assertEquals(2 * three.flops() / 3 * 3, ForwardFlops.count(graph.toGraphDef(), "out", 6).flops());
        }
    }

    @Test
    void countsOnlyTheOpsTheOutputDependsOn() {
        try (Graph graph = new Graph()) {
            Ops tf = Ops.create(graph);
            var x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4)));
            Operand<TFloat32> w = tf.zeros(tf.constant(new long[] {4, 4}), TFloat32.class);
            tf.withName("used").identity(tf.linalg.matMul(x, w));
            tf.withName("unused").identity(tf.linalg.matMul(tf.linalg.matMul(x, w), w));

            assertEquals(2L * 2 * 4 * 4, ForwardFlops.count(graph.toGraphDef(), "used", 2).flops());
        }
    }
}
