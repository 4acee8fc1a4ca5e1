package io.stipple.engine.sd.vae;

import static io.stipple.engine.sd.nn.DiffusersBlocks.downsample;
import static io.stipple.engine.sd.nn.DiffusersBlocks.resnet;
import static io.stipple.engine.sd.nn.DiffusersBlocks.spatialSelfAttention;
import static io.stipple.engine.sd.nn.DiffusersBlocks.upsample;
import static io.stipple.engine.sd.nn.TorchLayers.conv2d;
import static io.stipple.engine.sd.nn.TorchLayers.groupNorm;
import static io.stipple.engine.sd.nn.TorchLayers.silu;

import io.stipple.engine.sd.nn.Padding;
import io.stipple.engine.sd.nn.TorchWeights;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * diffusers' {@code AutoencoderKL} (Rombach et al. 2022), the latent codec of Stable Diffusion:
 * the encoder maps an image [B, H, W, 3] in [-1, 1] to the mean and log-variance of a diagonal
 * Gaussian over latents [B, H/8, W/8, 4]; the decoder maps latents back to an image. Both take any
 * batch and any size the levels divide (multiples of 8 for SD). Latents here are unscaled:
 * pipelines multiply by {@link AutoencoderKLConfig#scalingFactor()} after encoding and divide
 * before decoding.
 */
public final class AutoencoderKL {

    /** diffusers' DiagonalGaussianDistribution clamps the log-variance to this range. */
    private static final float MIN_LOGVAR = -30f;
    private static final float MAX_LOGVAR = 20f;

    /** The encoder's Gaussian over latents. */
    public record LatentDistribution(Operand<TFloat32> mean, Operand<TFloat32> logVariance) {
    }

    private AutoencoderKL() {
    }

    /** {@code vae.encode(image).latent_dist}: image [B, H, W, in] to mean and clamped log-variance [B, H/8, W/8, latent]. */
    public static LatentDistribution encode(Ops tf, TorchWeights w, AutoencoderKLConfig config, Operand<TFloat32> image) {
        List<Integer> widths = config.blockOutChannels();
        int groups = config.normGroups();
        float eps = AutoencoderKLConfig.NORM_EPS;
        long width = widths.get(0);
        Operand<TFloat32> h = conv2d(tf, w, "encoder.conv_in", image, config.inChannels(), width, 3, 1, Padding.all(1));
        for (int level = 0; level < widths.size(); level++) {
            String block = "encoder.down_blocks." + level;
            long out = widths.get(level);
            for (int i = 0; i < config.layersPerBlock(); i++) {
                h = resnet(tf, w, block + ".resnets." + i, h, width, out, null, 0, groups, eps);
                width = out;
            }
            if (level < widths.size() - 1) {
                h = downsample(tf, w, block + ".downsamplers.0", h, width, 0);
            }
        }
        h = midBlock(tf, w, config, "encoder.mid_block", h, width);
        h = silu(tf, groupNorm(tf, w, "encoder.conv_norm_out", h, width, groups, eps));
        long moments = 2L * config.latentChannels();
        h = conv2d(tf, w, "encoder.conv_out", h, width, moments, 3, 1, Padding.all(1));
        if (config.useQuantConv()) {
            h = conv2d(tf, w, "quant_conv", h, moments, moments, 1, 1, Padding.all(0));
        }
        var halves = tf.split(tf.constant(3), h, 2L);
        Operand<TFloat32> logVariance = tf.clipByValue(halves.output().get(1), tf.constant(MIN_LOGVAR),
                tf.constant(MAX_LOGVAR));
        return new LatentDistribution(halves.output().get(0), logVariance);
    }

    /** {@code vae.decode(latents).sample}: latents [B, h, w, latent] (unscaled) to an image [B, 8h, 8w, out], about [-1, 1]. */
    public static Operand<TFloat32> decode(Ops tf, TorchWeights w, AutoencoderKLConfig config, Operand<TFloat32> latents) {
        List<Integer> widths = config.blockOutChannels();
        int groups = config.normGroups();
        float eps = AutoencoderKLConfig.NORM_EPS;
        long latent = config.latentChannels();
        Operand<TFloat32> h = latents;
        if (config.usePostQuantConv()) {
            h = conv2d(tf, w, "post_quant_conv", h, latent, latent, 1, 1, Padding.all(0));
        }
        long width = widths.get(widths.size() - 1);
        h = conv2d(tf, w, "decoder.conv_in", h, latent, width, 3, 1, Padding.all(1));
        h = midBlock(tf, w, config, "decoder.mid_block", h, width);
        for (int level = 0; level < widths.size(); level++) {
            String block = "decoder.up_blocks." + level;
            long out = widths.get(widths.size() - 1 - level);
            for (int i = 0; i < config.layersPerBlock() + 1; i++) {
                h = resnet(tf, w, block + ".resnets." + i, h, width, out, null, 0, groups, eps);
                width = out;
            }
            if (level < widths.size() - 1) {
                h = upsample(tf, w, block + ".upsamplers.0", h, width);
            }
        }
        h = silu(tf, groupNorm(tf, w, "decoder.conv_norm_out", h, width, groups, eps));
        return conv2d(tf, w, "decoder.conv_out", h, width, config.outChannels(), 3, 1, Padding.all(1));
    }

    /** {@code UNetMidBlock2D} without time embedding: resnet, single-head self-attention (when configured), resnet. */
    private static Operand<TFloat32> midBlock(Ops tf, TorchWeights w, AutoencoderKLConfig config, String key,
            Operand<TFloat32> x, long width) {
        int groups = config.normGroups();
        float eps = AutoencoderKLConfig.NORM_EPS;
        Operand<TFloat32> h = resnet(tf, w, key + ".resnets.0", x, width, width, null, 0, groups, eps);
        if (config.midBlockAttention()) {
            // attention_head_dim is the full width in the VAE: one head.
            h = spatialSelfAttention(tf, w, key + ".attentions.0", h, width, 1, groups, eps);
        }
        return resnet(tf, w, key + ".resnets.1", h, width, width, null, 0, groups, eps);
    }
}
