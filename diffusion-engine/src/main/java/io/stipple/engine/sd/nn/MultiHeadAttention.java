package io.stipple.engine.sd.nn;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Scaled dot-product attention over already projected queries, keys and values, split into
 * heads as PyTorch's attention modules split them (the width is heads x head width, head-major).
 * Batch and sequence lengths may be unknown when the graph is built.
 */
public final class MultiHeadAttention {

    private static final int[] HEADS_FIRST = {0, 2, 1, 3};

    private MultiHeadAttention() {
    }

    /**
     * softmax(q k^T / sqrt(head width) [+ causal mask]) v per head, for q [B, Lq, D], k and v
     * [B, Lk, D]; returns [B, Lq, D]. With {@code causal}, position i attends only to positions
     * up to i (CLIP's text encoder), by adding the float32 minimum to the scores above the
     * diagonal as transformers does.
     */
    public static Operand<TFloat32> attend(Ops tf, Operand<TFloat32> q, Operand<TFloat32> k, Operand<TFloat32> v,
            int heads, boolean causal) {
        long width = q.shape().get(2);
        if (width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " does not split into " + heads + " heads");
        }
        long headWidth = width / heads;
        Operand<TFloat32> scores = tf.math.mul(
                tf.train.batchMatMul(splitHeads(tf, q, heads, headWidth), splitHeads(tf, k, heads, headWidth),
                        TFloat32.class, BatchMatMul.adjY(true)),
                tf.constant((float) (1.0 / Math.sqrt(headWidth))));
        if (causal) {
            scores = tf.math.add(scores, causalMask(tf, q));
        }
        Operand<TFloat32> mixed = tf.train.batchMatMul(tf.nn.softmax(scores), splitHeads(tf, v, heads, headWidth),
                TFloat32.class);
        Operand<TFloat32> merged = tf.linalg.transpose(mixed, tf.constant(HEADS_FIRST));
        return tf.reshape(merged, TorchLayers.withLastDimension(tf, q, width));
    }

    /** [L, L]: 0 on and below the diagonal, the float32 minimum above it. */
    private static Operand<TFloat32> causalMask(Ops tf, Operand<TFloat32> q) {
        Operand<TInt32> length = tf.stridedSlice(tf.shape(q), tf.constant(new int[] {1}), tf.constant(new int[] {2}),
                tf.constant(new int[] {1}));
        Operand<TFloat32> ones = tf.fill(tf.concat(List.of(length, length), tf.constant(0)), tf.constant(1f));
        Operand<TFloat32> lower = tf.linalg.bandPart(ones, tf.constant(-1), tf.constant(0));
        return tf.math.mul(tf.math.sub(lower, tf.constant(1f)), tf.constant(Float.MAX_VALUE));
    }

    /** [B, L, H*Dh] to [B, H, L, Dh]. */
    private static Operand<TFloat32> splitHeads(Ops tf, Operand<TFloat32> x, int heads, long headWidth) {
        Operand<TInt32> batchAndLength = tf.stridedSlice(tf.shape(x), tf.constant(new int[] {0}),
                tf.constant(new int[] {2}), tf.constant(new int[] {1}));
        Operand<TInt32> shape = tf.concat(List.of(batchAndLength, tf.constant(new int[] {heads, (int) headWidth})),
                tf.constant(0));
        return tf.linalg.transpose(tf.reshape(x, shape), tf.constant(HEADS_FIRST));
    }
}
