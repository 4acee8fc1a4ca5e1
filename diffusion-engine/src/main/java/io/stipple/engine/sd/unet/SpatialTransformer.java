package io.stipple.engine.sd.unet;

import io.stipple.engine.sd.nn.MultiHeadAttention;
import io.stipple.engine.sd.nn.Padding;
import io.stipple.engine.sd.nn.TorchLayers;
import io.stipple.engine.sd.nn.TorchWeights;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * diffusers' {@code Transformer2DModel} as the SD U-Net uses it: GroupNorm (eps 1e-6), proj_in
 * (a 1x1 conv in SD 1.x, a linear layer over the tokens in SD 2.x), {@code BasicTransformerBlock}s
 * over the H*W tokens, proj_out, plus the input.
 */
final class SpatialTransformer {

    private static final float GROUP_NORM_EPS = 1e-6f;
    private static final float LAYER_NORM_EPS = 1e-5f;
    private static final int FEED_FORWARD_MULTIPLIER = 4;

    private final Ops tf;
    private final TorchWeights w;
    private final UNetConfig config;
    private final Operand<TFloat32> context;
    private final Probes probes;

    SpatialTransformer(Ops tf, TorchWeights w, UNetConfig config, Operand<TFloat32> context, Probes probes) {
        this.tf = tf;
        this.w = w;
        this.config = config;
        this.context = context;
        this.probes = probes;
    }

    /** x [B, H, W, C] to [B, H, W, C] through {@code layers} transformer blocks of {@code heads} heads. */
    Operand<TFloat32> apply(String key, Operand<TFloat32> x, long width, int heads, int layers) {
        boolean linear = config.useLinearProjection();
        Operand<TFloat32> h = TorchLayers.groupNorm(tf, w, key + ".norm", x, width, config.normNumGroups(), GROUP_NORM_EPS);
        if (!linear) {
            h = TorchLayers.conv2d(tf, w, key + ".proj_in", h, width, width, 1, 1, Padding.all(0));
        }
        h = tokens(h, width);
        if (linear) {
            h = TorchLayers.linear(tf, w, key + ".proj_in", h, width, width);
        }
        for (int i = 0; i < layers; i++) {
            h = block(key + ".transformer_blocks." + i, h, width, heads);
        }
        if (linear) {
            h = TorchLayers.linear(tf, w, key + ".proj_out", h, width, width);
        }
        h = tf.reshape(h, tf.shape(x));
        if (!linear) {
            h = TorchLayers.conv2d(tf, w, key + ".proj_out", h, width, width, 1, 1, Padding.all(0));
        }
        return probes.record(key, tf.math.add(h, x));
    }

    /** BasicTransformerBlock: self-attention, cross-attention over the text, GEGLU feed-forward; each pre-norm and residual. */
    private Operand<TFloat32> block(String key, Operand<TFloat32> x, long width, int heads) {
        Operand<TFloat32> normed = TorchLayers.layerNorm(tf, w, key + ".norm1", x, width, LAYER_NORM_EPS);
        Operand<TFloat32> h = tf.math.add(probes.record(key + ".attn1",
                attention(key + ".attn1", normed, normed, width, width, heads)), x);
        normed = TorchLayers.layerNorm(tf, w, key + ".norm2", h, width, LAYER_NORM_EPS);
        h = tf.math.add(probes.record(key + ".attn2",
                attention(key + ".attn2", normed, context, width, config.crossAttentionDim(), heads)), h);
        normed = TorchLayers.layerNorm(tf, w, key + ".norm3", h, width, LAYER_NORM_EPS);
        Operand<TFloat32> ff = probes.record(key + ".ff", feedForward(key + ".ff", normed, width));
        return probes.record(key, tf.math.add(ff, h));
    }

    /** diffusers' {@code Attention}: q, k, v projections without bias, heads, then {@code to_out.0} with a bias. */
    private Operand<TFloat32> attention(String key, Operand<TFloat32> x, Operand<TFloat32> over, long width,
            long overWidth, int heads) {
        Operand<TFloat32> q = TorchLayers.linear(tf, w, key + ".to_q", x, width, width, false);
        Operand<TFloat32> k = TorchLayers.linear(tf, w, key + ".to_k", over, overWidth, width, false);
        Operand<TFloat32> v = TorchLayers.linear(tf, w, key + ".to_v", over, overWidth, width, false);
        Operand<TFloat32> mixed = MultiHeadAttention.attend(tf, q, k, v, heads, false);
        return TorchLayers.linear(tf, w, key + ".to_out.0", mixed, width, width);
    }

    /** FeedForward with GEGLU: proj to 2 x inner, value x gelu(gate), back to the width ({@code net.0.proj}, {@code net.2}). */
    private Operand<TFloat32> feedForward(String key, Operand<TFloat32> x, long width) {
        long inner = FEED_FORWARD_MULTIPLIER * width;
        Operand<TFloat32> projected = TorchLayers.linear(tf, w, key + ".net.0.proj", x, width, 2 * inner);
        var halves = tf.split(tf.constant(-1), projected, 2L);
        Operand<TFloat32> gated = tf.math.mul(halves.output().get(0), TorchLayers.gelu(tf, halves.output().get(1)));
        return TorchLayers.linear(tf, w, key + ".net.2", gated, inner, width);
    }

    /** [B, H, W, C] to [B, H*W, C]. */
    private Operand<TFloat32> tokens(Operand<TFloat32> x, long width) {
        Operand<TInt32> batch = tf.stridedSlice(tf.shape(x), tf.constant(new int[] {0}),
                tf.constant(new int[] {1}), tf.constant(new int[] {1}));
        return tf.reshape(x, tf.concat(List.of(batch, tf.constant(new int[] {-1, (int) width})), tf.constant(0)));
    }
}
