package io.stipple.engine.sd.nn;

import io.stipple.engine.nn.Layers;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Layers with the exact semantics of their PyTorch counterparts, NHWC inside, weights from
 * {@link TorchWeights} under the module's key ({@code key + ".weight"}, {@code key + ".bias"}).
 * Batch, sequence length, height and width may be unknown when the graph is built; channel
 * counts are static and given, so a wrong config fails at build time naming the module.
 */
public final class TorchLayers {

    private static final float SQRT_HALF = (float) Math.sqrt(0.5);
    private static final float QUICK_GELU_SCALE = 1.702f;

    private TorchLayers() {
    }

    /** {@code nn.Linear(in, out, bias)} over the last axis of x [..., in]; leading axes are kept. */
    public static Operand<TFloat32> linear(Ops tf, TorchWeights w, String key, Operand<TFloat32> x, long in, long out,
            boolean bias) {
        requireChannels(key, x, in);
        Operand<TFloat32> kernel = w.linear(key + ".weight", in, out);
        int rank = x.shape().numDimensions();
        Operand<TFloat32> flat = rank == 2 ? x : tf.reshape(x, tf.constant(new long[] {-1, in}));
        Operand<TFloat32> y = w.linearAdapter().adapt(tf, key, flat, tf.linalg.matMul(flat, kernel), in, out);
        if (bias) {
            y = tf.nn.biasAdd(y, w.vector(key + ".bias", out));
        }
        if (rank == 2) {
            return y;
        }
        return tf.reshape(y, withLastDimension(tf, x, out));
    }

    /** {@code nn.Linear(in, out)} with a bias. */
    public static Operand<TFloat32> linear(Ops tf, TorchWeights w, String key, Operand<TFloat32> x, long in, long out) {
        return linear(tf, w, key, x, in, out, true);
    }

    /** {@code nn.Conv2d(in, out, kernelSize, stride, padding)} with a bias, on NHWC input, run as {@code w} says. */
    public static Operand<TFloat32> conv2d(Ops tf, TorchWeights w, String key, Operand<TFloat32> x, long in, long out,
            int kernelSize, int stride, Padding padding) {
        requireChannels(key, x, in);
        Operand<TFloat32> kernel = w.conv(key + ".weight", in, out, kernelSize);
        Operand<TFloat32> bias = w.vector(key + ".bias", out);
        if (w.convolutions() == ConvolutionKernel.PATCH_MATMUL) {
            return PatchConvolution.apply(tf, x, kernel, bias, in, out, kernelSize, stride, padding);
        }
        List<Long> strides = List.of(1L, (long) stride, (long) stride, 1L);
        Operand<TFloat32> y;
        if (padding.none()) {
            y = tf.nn.conv2d(x, kernel, strides, "VALID");
        } else if (padding.sameAs(kernelSize, stride)) {
            y = tf.nn.conv2d(x, kernel, strides, "SAME");
        } else {
            // zero-pad, then a VALID convolution, rather than Conv2D's "EXPLICIT" padding: TensorFlow's C++
            // gradient of Conv2D drops explicit_paddings (Conv2DBackpropInput then fails), and training
            // differentiates through the U-Net's downsampling convolutions
            y = tf.nn.conv2d(tf.pad(x, tf.constant(padding.nhwcPairs()), tf.constant(0f)), kernel, strides, "VALID");
        }
        return tf.nn.biasAdd(y, bias);
    }

    /** {@code nn.GroupNorm(groups, channels, eps)} (affine) on NHWC input. */
    public static Operand<TFloat32> groupNorm(Ops tf, TorchWeights w, String key, Operand<TFloat32> x, long channels,
            int groups, float eps) {
        requireChannels(key, x, channels);
        if (channels % groups != 0) {
            throw new IllegalArgumentException(key + ": " + channels + " channels do not split into " + groups + " groups");
        }
        return Layers.groupNormalise(tf, x, groups, eps, w.vector(key + ".weight", channels),
                w.vector(key + ".bias", channels));
    }

    /** {@code nn.LayerNorm(width, eps)} over the last axis. */
    public static Operand<TFloat32> layerNorm(Ops tf, TorchWeights w, String key, Operand<TFloat32> x, long width,
            float eps) {
        requireChannels(key, x, width);
        // Not the Mean/SquaredDifference/Rsqrt form of nn.Layers: TensorFlow's grappler remapper
        // rewrites that pattern into oneDNN's fused LayerNorm, which ignores the graph's epsilon and
        // uses 0.001 (measured: 1.3 max-abs off on the fixture's first CLIP layer norm). Centring
        // first and squaring with Mul does not match the pattern.
        Operand<TInt32> last = tf.constant(new int[] {x.shape().numDimensions() - 1});
        Operand<TFloat32> centred = tf.math.sub(x, tf.math.mean(x, last, Mean.keepDims(true)));
        Operand<TFloat32> variance = tf.math.mean(tf.math.mul(centred, centred), last, Mean.keepDims(true));
        Operand<TFloat32> normalised = tf.math.mul(centred, tf.math.rsqrt(tf.math.add(variance, tf.constant(eps))));
        return tf.math.add(tf.math.mul(normalised, w.vector(key + ".weight", width)), w.vector(key + ".bias", width));
    }

    /** SiLU: x * sigmoid(x). */
    public static Operand<TFloat32> silu(Ops tf, Operand<TFloat32> x) {
        return Layers.silu(tf, x);
    }

    /** Exact GELU ({@code nn.GELU()}, transformers' "gelu"): x/2 * (1 + erf(x / sqrt 2)). */
    public static Operand<TFloat32> gelu(Ops tf, Operand<TFloat32> x) {
        Operand<TFloat32> cdf = tf.math.add(tf.constant(1f), tf.math.erf(tf.math.mul(x, tf.constant(SQRT_HALF))));
        return tf.math.mul(tf.math.mul(x, tf.constant(0.5f)), cdf);
    }

    /** OpenAI CLIP's "quick_gelu": x * sigmoid(1.702 x). */
    public static Operand<TFloat32> quickGelu(Ops tf, Operand<TFloat32> x) {
        return tf.math.mul(x, tf.math.sigmoid(tf.math.mul(x, tf.constant(QUICK_GELU_SCALE))));
    }

    /** The activation a transformers/diffusers config names ({@code hidden_act}, {@code act_fn}). */
    public static Operand<TFloat32> activation(Ops tf, String name, Operand<TFloat32> x) {
        return switch (name) {
            case "gelu" -> gelu(tf, x);
            case "quick_gelu" -> quickGelu(tf, x);
            case "silu", "swish" -> silu(tf, x);
            default -> throw new IllegalArgumentException("unsupported activation \"" + name
                    + "\" (supported: gelu, quick_gelu, silu)");
        };
    }

    /** Whether {@link #activation} knows {@code name}, for validating configs before building. */
    public static boolean knowsActivation(String name) {
        return List.of("gelu", "quick_gelu", "silu", "swish").contains(name);
    }

    /** {@code F.interpolate(x, scale_factor=2, mode="nearest")}: every pixel repeated 2x2, on NHWC input. */
    public static Operand<TFloat32> upsampleNearest2x(Ops tf, Operand<TFloat32> x) {
        Operand<TInt32> size = tf.math.mul(
                tf.stridedSlice(tf.shape(x), tf.constant(new int[] {1}), tf.constant(new int[] {3}), tf.constant(new int[] {1})),
                tf.constant(2));
        return upsampleNearest(tf, x, size);
    }

    /**
     * {@code F.interpolate(x, size=size, mode="nearest")} for a [2] int32 target height and width:
     * output pixel i takes input pixel floor(i * in / out), as torch's legacy "nearest" does (a U-Net
     * whose skip connection has an odd size upsamples to that size, not to twice its own).
     */
    public static Operand<TFloat32> upsampleNearest(Ops tf, Operand<TFloat32> x, Operand<TInt32> size) {
        return tf.image.resizeNearestNeighbor(x, size);
    }

    /** x's dynamic shape with the last dimension replaced by {@code last}. */
    static Operand<TInt32> withLastDimension(Ops tf, Operand<TFloat32> x, long last) {
        int rank = x.shape().numDimensions();
        Operand<TInt32> leading = tf.stridedSlice(tf.shape(x), tf.constant(new int[] {0}),
                tf.constant(new int[] {rank - 1}), tf.constant(new int[] {1}));
        return tf.concat(List.of(leading, tf.constant(new int[] {(int) last})), tf.constant(0));
    }

    private static void requireChannels(String key, Operand<TFloat32> x, long expected) {
        Shape shape = x.shape();
        long actual = shape.numDimensions() < 1 ? Shape.UNKNOWN_SIZE : shape.get(shape.numDimensions() - 1);
        if (actual != expected) {
            throw new IllegalArgumentException(key + ": input has " + actual + " channels in its last axis, expected "
                    + expected + " (shape " + shape + ")");
        }
    }
}
