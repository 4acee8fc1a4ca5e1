package io.stipple.engine.sd.nn;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.StridedSlice;
import org.tensorflow.types.TFloat32;

/**
 * A 2-D convolution run as one matrix product over the input's patches (im2col): the k x k shifted
 * views of the padded input, concatenated along the channels, times the kernel as a
 * {@code [k*k*in, out]} matrix. On the CPU this is TensorFlow's oneDNN matmul at its full rate,
 * where its Conv2D kernel ran SD's 3x3 convolutions at a third to a sixth of it (docs/benchmarks.md
 * section 6); the cost is a transient patch buffer k*k times the input. Every op here has a C++
 * gradient, so training differentiates through it as through Conv2D.
 */
public final class PatchConvolution {

    private static final int BATCH_AND_CHANNELS = 0b1001;

    private PatchConvolution() {
    }

    /**
     * {@code x} [B, H, W, in] (H and W may be unknown) with {@code kernel} [k, k, in, out] (HWIO) and
     * {@code bias} [out], zero-padded by {@code padding}; returns [B, H', W', out].
     */
    public static Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Operand<TFloat32> kernel, Operand<TFloat32> bias,
            long in, long out, int kernelSize, int stride, Padding padding) {
        Operand<TFloat32> padded = padding.none() ? x : tf.pad(x, tf.constant(padding.nhwcPairs()), tf.constant(0f));
        Operand<TFloat32> patches = kernelSize == 1 && stride == 1 ? padded : patches(tf, padded, kernelSize, stride);
        long depth = (long) kernelSize * kernelSize * in;
        Operand<TFloat32> rows = tf.reshape(patches, tf.constant(new long[] {-1, depth}));
        Operand<TFloat32> product = tf.nn.biasAdd(
                tf.linalg.matMul(rows, tf.reshape(kernel, tf.constant(new long[] {depth, out}))), bias);
        return tf.reshape(product, TorchLayers.withLastDimension(tf, patches, out));
    }

    /** [B, H', W', k*k*in], ordered (row offset, column offset, channel) as the HWIO kernel flattens. */
    private static Operand<TFloat32> patches(Ops tf, Operand<TFloat32> padded, int kernelSize, int stride) {
        List<Operand<TFloat32>> taps = new ArrayList<>(kernelSize * kernelSize);
        for (int dy = 0; dy < kernelSize; dy++) {
            for (int dx = 0; dx < kernelSize; dx++) {
                taps.add(tap(tf, padded, dy, dx, kernelSize, stride));
            }
        }
        return tf.concat(taps, tf.constant(3));
    }

    /**
     * The input under kernel offset (dy, dx) at every output position: rows dy, dy + s, ... up to
     * the last whose window fits, which is where a slice ending k - 1 - dy rows before the end stops
     * (an end counted from the end works for any height).
     */
    private static Operand<TFloat32> tap(Ops tf, Operand<TFloat32> padded, int dy, int dx, int kernelSize, int stride) {
        int fromEndY = kernelSize - 1 - dy;
        int fromEndX = kernelSize - 1 - dx;
        long endMask = BATCH_AND_CHANNELS | (fromEndY == 0 ? 0b0010 : 0) | (fromEndX == 0 ? 0b0100 : 0);
        return tf.stridedSlice(padded, tf.constant(new int[] {0, dy, dx, 0}),
                tf.constant(new int[] {0, -fromEndY, -fromEndX, 0}), tf.constant(new int[] {1, stride, stride, 1}),
                StridedSlice.beginMask((long) BATCH_AND_CHANNELS), StridedSlice.endMask(endMask));
    }
}
