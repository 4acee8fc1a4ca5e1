package io.stipple.engine.sd.nn;

import static io.stipple.engine.sd.nn.TorchLayers.conv2d;
import static io.stipple.engine.sd.nn.TorchLayers.groupNorm;
import static io.stipple.engine.sd.nn.TorchLayers.linear;
import static io.stipple.engine.sd.nn.TorchLayers.silu;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * diffusers' building blocks shared by the VAE and the U-Net ({@code diffusers/models/resnet.py},
 * {@code downsampling.py}, {@code upsampling.py}, {@code attention_processor.py}), with their
 * checkpoint keys under {@code key}. NHWC; batch, height and width may be unknown.
 */
public final class DiffusersBlocks {

    private DiffusersBlocks() {
    }

    /**
     * {@code ResnetBlock2D} with the defaults SD uses (time_embedding_norm "default", output scale
     * 1, SiLU): norm1, SiLU, conv1, plus the projected time embedding when {@code timeEmbedding}
     * [B, T] is given, norm2, SiLU, conv2, added to the input (through a 1x1
     * {@code conv_shortcut} when the widths differ).
     */
    public static Operand<TFloat32> resnet(Ops tf, TorchWeights w, String key, Operand<TFloat32> x, long in, long out,
            Operand<TFloat32> timeEmbedding, long timeChannels, int groups, float eps) {
        Operand<TFloat32> h = silu(tf, groupNorm(tf, w, key + ".norm1", x, in, groups, eps));
        h = conv2d(tf, w, key + ".conv1", h, in, out, 3, 1, Padding.all(1));
        if (timeEmbedding != null) {
            Operand<TFloat32> t = linear(tf, w, key + ".time_emb_proj", silu(tf, timeEmbedding), timeChannels, out);
            h = tf.math.add(h, tf.reshape(t, tf.constant(new long[] {-1, 1, 1, out})));
        }
        h = silu(tf, groupNorm(tf, w, key + ".norm2", h, out, groups, eps));
        h = conv2d(tf, w, key + ".conv2", h, out, out, 3, 1, Padding.all(1));
        Operand<TFloat32> shortcut = in == out ? x : conv2d(tf, w, key + ".conv_shortcut", x, in, out, 1, 1, Padding.all(0));
        return tf.math.add(shortcut, h);
    }

    /**
     * {@code Downsample2D(use_conv=True)}: a 3x3 stride-2 convolution {@code key.conv}. diffusers
     * pads {@code padding} on every side, except that padding 0 (the VAE encoder) means one
     * pixel on the bottom and right only.
     */
    public static Operand<TFloat32> downsample(Ops tf, TorchWeights w, String key, Operand<TFloat32> x, long channels,
            int padding) {
        Padding pad = padding == 0 ? Padding.of(0, 1, 0, 1) : Padding.all(padding);
        return conv2d(tf, w, key + ".conv", x, channels, channels, 3, 2, pad);
    }

    /** {@code Upsample2D(use_conv=True)}: nearest 2x, then a 3x3 convolution {@code key.conv}. */
    public static Operand<TFloat32> upsample(Ops tf, TorchWeights w, String key, Operand<TFloat32> x, long channels) {
        return conv2d(tf, w, key + ".conv", TorchLayers.upsampleNearest2x(tf, x), channels, channels, 3, 1,
                Padding.all(1));
    }

    /**
     * The VAE mid-block's {@code Attention} (group_norm, to_q, to_k, to_v, to_out.0, residual):
     * self-attention over all H x W positions of x [B, H, W, C].
     */
    public static Operand<TFloat32> spatialSelfAttention(Ops tf, TorchWeights w, String key, Operand<TFloat32> x,
            long channels, int heads, int groups, float eps) {
        Operand<TInt32> spatialShape = tf.shape(x);
        Operand<TFloat32> h = groupNorm(tf, w, key + ".group_norm", x, channels, groups, eps);
        Operand<TInt32> sequenceShape = tf.concat(List.of(
                tf.stridedSlice(spatialShape, tf.constant(new int[] {0}), tf.constant(new int[] {1}), tf.constant(new int[] {1})),
                tf.constant(new int[] {-1, (int) channels})), tf.constant(0));
        Operand<TFloat32> sequence = tf.reshape(h, sequenceShape);
        Operand<TFloat32> q = linear(tf, w, key + ".to_q", sequence, channels, channels);
        Operand<TFloat32> k = linear(tf, w, key + ".to_k", sequence, channels, channels);
        Operand<TFloat32> v = linear(tf, w, key + ".to_v", sequence, channels, channels);
        Operand<TFloat32> attended = MultiHeadAttention.attend(tf, q, k, v, heads, false);
        Operand<TFloat32> projected = linear(tf, w, key + ".to_out.0", attended, channels, channels);
        return tf.math.add(x, tf.reshape(projected, spatialShape));
    }
}
