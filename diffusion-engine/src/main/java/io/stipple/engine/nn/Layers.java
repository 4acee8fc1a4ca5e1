package io.stipple.engine.nn;

import java.util.Arrays;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Reshape;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Static builders for the basic layers, in NHWC layout. Each call creates its weights in
 * {@code params} under {@code name + "_..."} and returns the output operand. All dimensions but
 * the batch must be statically known (they are in every graph this engine builds).
 */
public final class Layers {

    private static final float NORM_EPSILON = 1e-5f;

    private Layers() {
    }

    /** Fully connected layer over the last axis; any leading axes are kept. */
    public static Operand<TFloat32> dense(Ops tf, Parameters params, String name, Operand<TFloat32> x,
            long units) {
        return dense(tf, params, name, x, units, 1f);
    }

    /** As {@link #dense(Ops, Parameters, String, Operand, long)} with a scaled initial kernel (0 gives a zero-initialised layer). */
    public static Operand<TFloat32> dense(Ops tf, Parameters params, String name, Operand<TFloat32> x,
            long units, float initGain) {
        Shape shape = x.shape();
        long in = shape.get(shape.numDimensions() - 1);
        Operand<TFloat32> kernel = params.fanIn(name + "_kernel", Shape.of(in, units), in, initGain);
        Operand<TFloat32> bias = params.constant(name + "_bias", Shape.of(units), 0f);
        Operand<TFloat32> flat = shape.numDimensions() == 2 ? x : reshape(tf, x, -1, in);
        Operand<TFloat32> y = tf.nn.biasAdd(tf.linalg.matMul(flat, kernel), bias);
        Operand<TFloat32> adapter = params.lowRankUpdate(name, flat, in, units);
        if (adapter != null) {
            y = tf.math.add(y, adapter);
        }
        if (shape.numDimensions() == 2) {
            return y;
        }
        long[] dims = shape.asArray().clone();
        dims[0] = -1;
        dims[dims.length - 1] = units;
        return reshape(tf, y, dims);
    }

    /** 2-D convolution with "SAME" padding and a bias. */
    public static Operand<TFloat32> conv2d(Ops tf, Parameters params, String name, Operand<TFloat32> x,
            long filters, int kernelSize, int stride) {
        return conv2d(tf, params, name, x, filters, kernelSize, stride, 1f);
    }

    public static Operand<TFloat32> conv2d(Ops tf, Parameters params, String name, Operand<TFloat32> x,
            long filters, int kernelSize, int stride, float initGain) {
        long in = channels(x);
        Operand<TFloat32> kernel = params.fanIn(name + "_kernel",
                Shape.of(kernelSize, kernelSize, in, filters), kernelSize * kernelSize * in, initGain);
        Operand<TFloat32> bias = params.constant(name + "_bias", Shape.of(filters), 0f);
        Conv2d<TFloat32> conv = tf.nn.conv2d(x, kernel, List.of(1L, (long) stride, (long) stride, 1L), "SAME");
        return tf.nn.biasAdd(conv, bias);
    }

    /**
     * Group normalisation (Wu and He 2018) over NHWC input, with a learned per-channel scale and shift.
     *
     * <p>Computed from per-channel moments, which TensorFlow reduces fast (the channel axis stays
     * innermost): the group mean is the mean of its channels' means and the group variance, by the
     * law of total variance, the mean of its channels' variances plus the variance of their means,
     * both exact and two-pass. The normalisation and the learned scale and shift then fold into one
     * per-(example, channel) multiply and add. Measured (docs/benchmarks.md): the earlier form,
     * moments over a [B, H, W, G, C/G] reshape with 5-D broadcasts, took about half of a U-Net
     * forward pass on a CPU.
     */
    public static Operand<TFloat32> groupNorm(Ops tf, Parameters params, String name, Operand<TFloat32> x,
            int groups) {
        long c = channels(x);
        if (c % groups != 0) {
            throw new IllegalArgumentException(name + ": " + c + " channels do not split into " + groups + " groups");
        }
        Operand<TFloat32> scale = params.constant(name + "_scale", Shape.of(channels(x)), 1f);
        Operand<TFloat32> shift = params.constant(name + "_shift", Shape.of(channels(x)), 0f);
        return groupNormalise(tf, x, groups, NORM_EPSILON, scale, shift);
    }

    /**
     * The computation of {@link #groupNorm} with given weights and epsilon, for networks whose
     * weights come from elsewhere (a checkpoint); batch, height and width may be unknown, the
     * channel count must be static and divisible by {@code groups}.
     */
    public static Operand<TFloat32> groupNormalise(Ops tf, Operand<TFloat32> x, int groups, float epsilon,
            Operand<TFloat32> scale, Operand<TFloat32> shift) {
        long c = channels(x);
        Operand<TInt32> spatial = tf.constant(new int[] {1, 2});
        Operand<TFloat32> channelMean = tf.math.mean(x, spatial, Mean.keepDims(true));
        Operand<TFloat32> channelVariance = tf.math.mean(tf.math.squaredDifference(x, channelMean), spatial,
                Mean.keepDims(true));
        long perGroup = c / groups;
        Operand<TFloat32> means = reshape(tf, channelMean, -1, groups, perGroup);
        Operand<TInt32> withinGroup = tf.constant(new int[] {2});
        Operand<TFloat32> groupMean = tf.math.mean(means, withinGroup, Mean.keepDims(true));
        Operand<TFloat32> groupVariance = tf.math.mean(tf.math.add(reshape(tf, channelVariance, -1, groups, perGroup),
                tf.math.squaredDifference(means, groupMean)), withinGroup, Mean.keepDims(true));
        Operand<TFloat32> inverseStd = tf.math.rsqrt(tf.math.add(groupVariance, tf.constant(epsilon)));
        Operand<TFloat32> multiplier = tf.math.mul(inverseStd, reshape(tf, scale, groups, perGroup));
        Operand<TFloat32> offset = tf.math.sub(reshape(tf, shift, groups, perGroup), tf.math.mul(groupMean, multiplier));
        return tf.math.add(tf.math.mul(x, reshape(tf, multiplier, -1, 1, 1, c)), reshape(tf, offset, -1, 1, 1, c));
    }

    /** Layer normalisation over the last axis. */
    public static Operand<TFloat32> layerNorm(Ops tf, Parameters params, String name, Operand<TFloat32> x) {
        Shape shape = x.shape();
        int last = shape.numDimensions() - 1;
        return scaleAndShift(tf, params, name, normalise(tf, x, new int[] {last}), shape.get(last));
    }

    private static Operand<TFloat32> normalise(Ops tf, Operand<TFloat32> x, int[] axes) {
        Operand<TInt32> axis = tf.constant(axes);
        Operand<TFloat32> mean = tf.math.mean(x, axis, Mean.keepDims(true));
        Operand<TFloat32> variance = tf.math.mean(tf.math.squaredDifference(x, mean), axis, Mean.keepDims(true));
        return tf.math.mul(tf.math.sub(x, mean), tf.math.rsqrt(tf.math.add(variance, tf.constant(NORM_EPSILON))));
    }

    private static Operand<TFloat32> scaleAndShift(Ops tf, Parameters params, String name, Operand<TFloat32> x,
            long channels) {
        Operand<TFloat32> scale = params.constant(name + "_scale", Shape.of(channels), 1f);
        Operand<TFloat32> shift = params.constant(name + "_shift", Shape.of(channels), 0f);
        return tf.math.add(tf.math.mul(x, scale), shift);
    }

    /** SiLU / swish: x * sigmoid(x). */
    public static Operand<TFloat32> silu(Ops tf, Operand<TFloat32> x) {
        return tf.math.mul(x, tf.math.sigmoid(x));
    }

    /**
     * Multi-head scaled dot-product attention (Vaswani et al. 2017) of {@code query} [B, Lq, Dq] over
     * {@code context} [B, Lk, Dk]; self-attention when both are the same operand. The output
     * projection starts at zero so a new attention block begins as the identity of its residual path.
     */
    public static Operand<TFloat32> attention(Ops tf, Parameters params, String name, Operand<TFloat32> query,
            Operand<TFloat32> context, int heads) {
        long width = query.shape().get(2);
        if (width % heads != 0) {
            throw new IllegalArgumentException(name + ": width " + width + " does not split into " + heads + " heads");
        }
        long headWidth = width / heads;
        Operand<TFloat32> q = splitHeads(tf, dense(tf, params, name + "_query", query, width), heads, headWidth);
        Operand<TFloat32> k = splitHeads(tf, dense(tf, params, name + "_key", context, width), heads, headWidth);
        Operand<TFloat32> v = splitHeads(tf, dense(tf, params, name + "_value", context, width), heads, headWidth);
        Operand<TFloat32> scores = tf.math.mul(
                tf.train.batchMatMul(q, k, TFloat32.class, org.tensorflow.op.train.BatchMatMul.adjY(true)),
                tf.constant((float) (1.0 / Math.sqrt(headWidth))));
        Operand<TFloat32> weights = tf.nn.softmax(scores);
        Operand<TFloat32> mixed = tf.train.batchMatMul(weights, v, TFloat32.class);
        long length = query.shape().get(1);
        Operand<TFloat32> merged = reshape(tf,
                tf.linalg.transpose(mixed, tf.constant(new int[] {0, 2, 1, 3})), -1, length, width);
        return dense(tf, params, name + "_out", merged, width, 0f);
    }

    /** [B, L, H*Dh] to [B, H, L, Dh]. */
    private static Operand<TFloat32> splitHeads(Ops tf, Operand<TFloat32> x, int heads, long headWidth) {
        long length = x.shape().get(1);
        return tf.linalg.transpose(reshape(tf, x, -1, length, heads, headWidth), tf.constant(new int[] {0, 2, 1, 3}));
    }

    /**
     * Sinusoidal embedding of a [B] float input (a timestep or an augmentation level), as in the
     * transformer's positional encoding and DDPM: [sin(t*f_i), cos(t*f_i)] with f_i spaced
     * geometrically from 1 down to 1/maxPeriod.
     */
    public static Operand<TFloat32> sinusoidalEmbedding(Ops tf, Operand<TFloat32> t, int dim, float maxPeriod) {
        int half = dim / 2;
        float[] frequencies = new float[half];
        for (int i = 0; i < half; i++) {
            frequencies[i] = (float) Math.exp(-Math.log(maxPeriod) * i / half);
        }
        Operand<TFloat32> args = tf.math.mul(reshape(tf, t, -1, 1), tf.constant(new float[][] {frequencies}));
        return tf.concat(Arrays.asList(tf.math.sin(args), tf.math.cos(args)), tf.constant(1));
    }

    /** Nearest-neighbour 2x upsampling followed by a 3x3 convolution. */
    public static Operand<TFloat32> upsample(Ops tf, Parameters params, String name, Operand<TFloat32> x) {
        Shape shape = x.shape();
        Operand<TFloat32> resized = tf.image.resizeNearestNeighbor(x,
                tf.constant(new int[] {(int) shape.get(1) * 2, (int) shape.get(2) * 2}));
        return conv2d(tf, params, name + "_conv", resized, shape.get(3), 3, 1);
    }

    /** Strided 3x3 convolution halving height and width. */
    public static Operand<TFloat32> downsample(Ops tf, Parameters params, String name, Operand<TFloat32> x) {
        return conv2d(tf, params, name + "_conv", x, channels(x), 3, 2);
    }

    public static long channels(Operand<TFloat32> x) {
        Shape shape = x.shape();
        return shape.get(shape.numDimensions() - 1);
    }

    public static Reshape<TFloat32> reshape(Ops tf, Operand<TFloat32> x, long... dims) {
        return tf.reshape(x, tf.constant(dims));
    }
}
