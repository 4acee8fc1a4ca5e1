package io.stipple.engine.nn;

import static io.stipple.engine.nn.Layers.channels;
import static io.stipple.engine.nn.Layers.conv2d;
import static io.stipple.engine.nn.Layers.dense;
import static io.stipple.engine.nn.Layers.groupNorm;
import static io.stipple.engine.nn.Layers.layerNorm;
import static io.stipple.engine.nn.Layers.reshape;
import static io.stipple.engine.nn.Layers.silu;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Composite blocks built from {@link Layers}: the pieces a U-Net and a transformer are made of. */
public final class Blocks {

    private Blocks() {
    }

    /**
     * DDPM residual block: GroupNorm, SiLU, conv, plus a projection of the conditioning embedding
     * added per channel, then GroupNorm, SiLU, conv (zero-initialised), plus the (1x1-projected when
     * the width changes) input.
     */
    public static Operand<TFloat32> residual(Ops tf, Parameters params, String name, Operand<TFloat32> x,
            Operand<TFloat32> embedding, long outChannels, int groups) {
        Operand<TFloat32> h = conv2d(tf, params, name + "_conv1",
                silu(tf, groupNorm(tf, params, name + "_norm1", x, groups)), outChannels, 3, 1);
        Operand<TFloat32> shift = dense(tf, params, name + "_emb", silu(tf, embedding), outChannels);
        h = tf.math.add(h, reshape(tf, shift, -1, 1, 1, outChannels));
        h = conv2d(tf, params, name + "_conv2", silu(tf, groupNorm(tf, params, name + "_norm2", h, groups)),
                outChannels, 3, 1, 0f);
        Operand<TFloat32> skip = channels(x) == outChannels ? x : conv2d(tf, params, name + "_skip", x, outChannels, 1, 1);
        return tf.math.add(skip, h);
    }

    /**
     * Attention over the pixels of an NHWC feature map: self-attention, then (when {@code context}
     * is given) cross-attention to it, e.g. to the text tokens, each residual and pre-normalised.
     */
    public static Operand<TFloat32> spatialAttention(Ops tf, Parameters params, String name, Operand<TFloat32> x,
            Operand<TFloat32> context, int heads, int groups) {
        Shape shape = x.shape();
        long h = shape.get(1);
        long w = shape.get(2);
        long c = shape.get(3);
        Operand<TFloat32> tokens = reshape(tf, x, -1, h * w, c);
        Operand<TFloat32> normed = reshape(tf, groupNorm(tf, params, name + "_norm", x, groups), -1, h * w, c);
        tokens = tf.math.add(tokens, Layers.attention(tf, params, name + "_self", normed, normed, heads));
        if (context != null) {
            Operand<TFloat32> query = layerNorm(tf, params, name + "_cross_norm", tokens);
            tokens = tf.math.add(tokens, Layers.attention(tf, params, name + "_cross", query, context, heads));
        }
        return reshape(tf, tokens, -1, h, w, c);
    }

    /** Pre-norm transformer encoder layer over [B, L, D]: self-attention and a GELU-free SiLU MLP, both residual. */
    public static Operand<TFloat32> transformerLayer(Ops tf, Parameters params, String name, Operand<TFloat32> x,
            int heads, int mlpRatio) {
        long width = x.shape().get(2);
        Operand<TFloat32> normed = layerNorm(tf, params, name + "_norm1", x);
        x = tf.math.add(x, Layers.attention(tf, params, name + "_attn", normed, normed, heads));
        Operand<TFloat32> hidden = silu(tf, dense(tf, params, name + "_mlp1",
                layerNorm(tf, params, name + "_norm2", x), width * mlpRatio));
        return tf.math.add(x, dense(tf, params, name + "_mlp2", hidden, width, 0f));
    }
}
