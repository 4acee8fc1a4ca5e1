package io.stipple.engine.training;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Global-norm gradient clipping (Pascanu et al. 2013), as {@code tf.clip_by_global_norm}. */
public final class GradientClipping {

    private GradientClipping() {
    }

    /** The L2 norm of all gradients taken together. */
    public static Operand<TFloat32> globalNorm(Ops tf, List<Operand<TFloat32>> gradients) {
        List<Operand<TFloat32>> squares = new ArrayList<>();
        for (Operand<TFloat32> gradient : gradients) {
            squares.add(tf.sum(tf.math.square(gradient), tf.range(tf.constant(0), tf.rank(gradient), tf.constant(1))));
        }
        return tf.math.sqrt(tf.math.addN(squares));
    }

    /** Rescales every gradient by clipNorm / max(globalNorm, clipNorm): unchanged when the norm is small. */
    public static List<Operand<TFloat32>> byGlobalNorm(Ops tf, List<Operand<TFloat32>> gradients,
            Operand<TFloat32> globalNorm, float clipNorm) {
        Operand<TFloat32> limit = tf.constant(clipNorm);
        Operand<TFloat32> scale = tf.math.div(limit, tf.math.maximum(globalNorm, limit));
        return gradients.stream().map(g -> (Operand<TFloat32>) tf.math.mul(g, scale)).toList();
    }

    /**
     * {@code torch.nn.utils.clip_grad_norm_}: every gradient times min(1, maxNorm / (globalNorm + 1e-6)),
     * the form diffusers' training scripts apply (it differs from {@link #byGlobalNorm} only by that 1e-6).
     */
    public static List<Operand<TFloat32>> byGlobalNormAsTorch(Ops tf, List<Operand<TFloat32>> gradients,
            Operand<TFloat32> globalNorm, float maxNorm) {
        Operand<TFloat32> scale = tf.math.minimum(tf.constant(1f),
                tf.math.div(tf.constant(maxNorm), tf.math.add(globalNorm, tf.constant(TORCH_NORM_EPSILON))));
        return gradients.stream().map(g -> (Operand<TFloat32>) tf.math.mul(g, scale)).toList();
    }

    private static final float TORCH_NORM_EPSILON = 1e-6f;
}
