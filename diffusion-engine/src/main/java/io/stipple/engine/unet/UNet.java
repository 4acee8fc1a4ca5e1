package io.stipple.engine.unet;

import static io.stipple.engine.nn.Layers.conv2d;
import static io.stipple.engine.nn.Layers.dense;
import static io.stipple.engine.nn.Layers.groupNorm;
import static io.stipple.engine.nn.Layers.silu;

import io.stipple.engine.nn.Blocks;
import io.stipple.engine.nn.Layers;
import io.stipple.engine.nn.Parameters;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The denoising U-Net of DDPM (Ho et al. 2020) with the text cross-attention of latent diffusion
 * (Rombach et al. 2022): residual blocks with a time embedding at each level, attention at
 * chosen resolutions, skip connections between mirrored levels. It predicts whatever the
 * training target was (epsilon, v or x0); the network itself does not know which.
 */
public final class UNet {

    private static final float MAX_PERIOD = 10_000f;

    private UNet() {
    }

    /** Inputs of one forward pass; {@code text}, {@code lowRes}, {@code augmentationLevel} may be null when the config has none. */
    public record Inputs(Operand<TFloat32> sample, Operand<TFloat32> timestep, Operand<TFloat32> text,
            Operand<TFloat32> lowRes, Operand<TFloat32> augmentationLevel) {
    }

    /** sample [B, H, W, C], timestep [B] (training-timestep scale, e.g. 0..999) to output [B, H, W, C]. */
    public static Operand<TFloat32> build(Ops tf, Parameters params, UNetConfig config, Inputs in) {
        requirePresent(config.textWidth() > 0, in.text(), "text");
        requirePresent(config.extraInputChannels() > 0, in.lowRes(), "low_res");
        requirePresent(config.augmentationLevelEmbedding(), in.augmentationLevel(), "aug_level");

        int embeddingWidth = config.timeEmbeddingWidth();
        Operand<TFloat32> embedding = embed(tf, params, "unet_time", in.timestep(), config.baseChannels(), embeddingWidth);
        if (config.augmentationLevelEmbedding()) {
            embedding = tf.math.add(embedding,
                    embed(tf, params, "unet_aug", in.augmentationLevel(), config.baseChannels(), embeddingWidth));
        }
        Operand<TFloat32> x = in.sample();
        if (config.extraInputChannels() > 0) {
            x = tf.concat(Arrays.asList(x, in.lowRes()), tf.constant(3));
        }

        Operand<TFloat32> h = conv2d(tf, params, "unet_conv_in", x, config.baseChannels(), 3, 1);
        Deque<Operand<TFloat32>> skips = new ArrayDeque<>();
        skips.push(h);
        int levels = config.channelMultipliers().size();
        int resolution = config.imageSize();
        for (int level = 0; level < levels; level++) {
            long width = (long) config.baseChannels() * config.channelMultipliers().get(level);
            for (int block = 0; block < config.resBlocksPerLevel(); block++) {
                String name = "unet_down" + level + "_block" + block;
                h = Blocks.residual(tf, params, name + "_res", h, embedding, width, config.groups());
                h = maybeAttention(tf, params, config, name + "_attn", h, in.text(), resolution);
                skips.push(h);
            }
            if (level < levels - 1) {
                h = Layers.downsample(tf, params, "unet_down" + level + "_downsample", h);
                resolution /= 2;
                skips.push(h);
            }
        }

        long middleWidth = Layers.channels(h);
        h = Blocks.residual(tf, params, "unet_mid_res1", h, embedding, middleWidth, config.groups());
        if (!config.fullyConvolutional()) {
            h = Blocks.spatialAttention(tf, params, "unet_mid_attn", h, in.text(), config.heads(), config.groups());
        }
        h = Blocks.residual(tf, params, "unet_mid_res2", h, embedding, middleWidth, config.groups());

        for (int level = levels - 1; level >= 0; level--) {
            long width = (long) config.baseChannels() * config.channelMultipliers().get(level);
            for (int block = 0; block <= config.resBlocksPerLevel(); block++) {
                String name = "unet_up" + level + "_block" + block;
                h = tf.concat(Arrays.asList(h, skips.pop()), tf.constant(3));
                h = Blocks.residual(tf, params, name + "_res", h, embedding, width, config.groups());
                h = maybeAttention(tf, params, config, name + "_attn", h, in.text(), resolution);
            }
            if (level > 0) {
                h = Layers.upsample(tf, params, "unet_up" + level + "_upsample", h);
                resolution *= 2;
            }
        }
        h = silu(tf, groupNorm(tf, params, "unet_norm_out", h, config.groups()));
        return conv2d(tf, params, "unet_conv_out", h, config.channels(), 3, 1, 0f);
    }

    private static Operand<TFloat32> maybeAttention(Ops tf, Parameters params, UNetConfig config, String name,
            Operand<TFloat32> h, Operand<TFloat32> text, int resolution) {
        if (!config.attentionResolutions().contains(resolution)) {
            return h;
        }
        return Blocks.spatialAttention(tf, params, name, h, text, config.heads(), config.groups());
    }

    /** Sinusoidal features of a [B] scalar, then a two-layer SiLU MLP, as DDPM embeds timesteps. */
    private static Operand<TFloat32> embed(Ops tf, Parameters params, String name, Operand<TFloat32> value,
            int sinusoidWidth, int width) {
        Operand<TFloat32> features = Layers.sinusoidalEmbedding(tf, value, sinusoidWidth, MAX_PERIOD);
        return dense(tf, params, name + "_mlp2", silu(tf, dense(tf, params, name + "_mlp1", features, width)), width);
    }

    private static void requirePresent(boolean expected, Operand<TFloat32> operand, String name) {
        if (expected != (operand != null)) {
            throw new IllegalArgumentException(expected
                    ? "the U-Net config needs input " + name + " but none was given"
                    : "input " + name + " was given but the U-Net config does not use it");
        }
    }
}
