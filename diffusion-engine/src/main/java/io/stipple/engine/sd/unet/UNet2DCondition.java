package io.stipple.engine.sd.unet;

import io.stipple.engine.sd.nn.DiffusersBlocks;
import io.stipple.engine.sd.nn.Padding;
import io.stipple.engine.sd.nn.TorchLayers;
import io.stipple.engine.sd.nn.TorchWeights;
import io.stipple.engine.sd.unet.UNetConfig.BlockKind;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * diffusers' {@code UNet2DConditionModel} (the Stable Diffusion 1.x / 2.x denoiser) as a TensorFlow
 * graph in NHWC, weights bound by their diffusers keys: time features and embedding, conv_in,
 * down blocks of resnets (each followed by a cross-attention transformer where the block type
 * says so) and a stride-2 conv, the mid block, up blocks that concatenate the skips in reverse
 * and upsample, then GroupNorm, SiLU and conv_out. Batch, height and width are dynamic, so one
 * set of weights serves every image size that is a multiple of 8.
 *
 * <p>The details that differ from a generic U-Net, all as diffusers has them: the resnets' and the
 * output norm's eps is {@code norm_eps} while the transformers use 1e-6 (see
 * {@link SpatialTransformer}); the downsampling conv pads {@code downsample_padding} on every side
 * (TensorFlow's "SAME" would pad only bottom and right at stride 2); time features are [cos, sin].
 */
public final class UNet2DCondition {

    private final Ops tf;
    private final TorchWeights w;
    private final UNetConfig config;
    private final Probes probes = new Probes();
    private final SpatialTransformer transformer;

    private UNet2DCondition(Ops tf, TorchWeights w, UNetConfig config, Operand<TFloat32> context) {
        this.tf = tf;
        this.w = w;
        this.config = config;
        this.transformer = new SpatialTransformer(tf, w, config, context, probes);
    }

    /**
     * Builds the forward pass, creating (or reusing, for a second graph over the same weights) its
     * variables in {@code weights}.
     *
     * @param sample   [B, H, W, in_channels] latents; H and W multiples of 2^(levels - 1)
     * @param timestep [B] timesteps on the training scale (0..999), fractional ones allowed
     * @param context  [B, L, cross_attention_dim] text encoder hidden states
     */
    public static UNetOutputs build(Ops tf, TorchWeights weights, UNetConfig config, Operand<TFloat32> sample,
            Operand<TFloat32> timestep, Operand<TFloat32> context) {
        return new UNet2DCondition(tf, weights, config, context).forward(sample, timestep);
    }

    private UNetOutputs forward(Operand<TFloat32> sample, Operand<TFloat32> timestep) {
        int base = config.blockOutChannels().get(0);
        int embeddingWidth = config.timeEmbeddingWidth();
        Operand<TFloat32> features = probes.record("time_proj", TimestepFeatures.build(tf, timestep, base,
                config.flipSinToCos(), config.freqShift()));
        Operand<TFloat32> embedding = probes.record("time_embedding", TorchLayers.linear(tf, w,
                "time_embedding.linear_2", TorchLayers.silu(tf, TorchLayers.linear(tf, w, "time_embedding.linear_1",
                        features, base, embeddingWidth)), embeddingWidth, embeddingWidth));

        int inKernel = config.convInKernel();
        Operand<TFloat32> h = probes.record("conv_in", TorchLayers.conv2d(tf, w, "conv_in", sample,
                config.inChannels(), base, inKernel, 1, Padding.all((inKernel - 1) / 2)));
        Deque<Operand<TFloat32>> skips = new ArrayDeque<>();
        skips.push(h);
        for (int level = 0; level < config.levels(); level++) {
            h = downBlock(level, h, embedding, skips);
        }
        h = midBlock(h, embedding);
        for (int i = 0; i < config.levels(); i++) {
            h = upBlock(i, h, embedding, skips);
        }
        h = TorchLayers.silu(tf, TorchLayers.groupNorm(tf, w, "conv_norm_out", h, base, config.normNumGroups(),
                config.normEps()));
        int outKernel = config.convOutKernel();
        Operand<TFloat32> out = TorchLayers.conv2d(tf, w, "conv_out", h, base, config.outChannels(), outKernel, 1,
                Padding.all((outKernel - 1) / 2));
        return new UNetOutputs(out, probes.all());
    }

    private Operand<TFloat32> downBlock(int level, Operand<TFloat32> h, Operand<TFloat32> embedding,
            Deque<Operand<TFloat32>> skips) {
        String key = "down_blocks." + level;
        long width = config.blockOutChannels().get(level);
        for (int i = 0; i < config.layersPerBlock(); i++) {
            h = resnet(key + ".resnets." + i, h, embedding, width);
            h = maybeAttend(config.downBlocks().get(level), key + ".attentions." + i, h, level);
            skips.push(h);
        }
        if (level < config.levels() - 1) {
            h = DiffusersBlocks.downsample(tf, w, key + ".downsamplers.0", h, width, config.downsamplePadding());
            skips.push(h);
        }
        return probes.record(key, h);
    }

    private Operand<TFloat32> midBlock(Operand<TFloat32> h, Operand<TFloat32> embedding) {
        int last = config.levels() - 1;
        long width = config.blockOutChannels().get(last);
        h = resnet("mid_block.resnets.0", h, embedding, width);
        h = transformer.apply("mid_block.attentions.0", h, width, config.headsPerLevel().get(last),
                config.transformerLayersPerLevel().get(last));
        h = resnet("mid_block.resnets.1", h, embedding, width);
        return probes.record("mid_block", h);
    }

    /** Up block {@code i} mirrors level {@code levels - 1 - i}, with one resnet more than its down block. */
    private Operand<TFloat32> upBlock(int i, Operand<TFloat32> h, Operand<TFloat32> embedding,
            Deque<Operand<TFloat32>> skips) {
        String key = "up_blocks." + i;
        int level = config.levels() - 1 - i;
        long width = config.blockOutChannels().get(level);
        for (int j = 0; j <= config.layersPerBlock(); j++) {
            h = tf.concat(List.of(h, skips.pop()), tf.constant(3));
            h = resnet(key + ".resnets." + j, h, embedding, width);
            h = maybeAttend(config.upBlocks().get(i), key + ".attentions." + j, h, level);
        }
        if (level > 0) {
            h = DiffusersBlocks.upsample(tf, w, key + ".upsamplers.0", h, width);
        }
        return probes.record(key, h);
    }

    private Operand<TFloat32> maybeAttend(BlockKind kind, String key, Operand<TFloat32> h, int level) {
        if (!kind.attends()) {
            return h;
        }
        return transformer.apply(key, h, config.blockOutChannels().get(level), config.headsPerLevel().get(level),
                config.transformerLayersPerLevel().get(level));
    }

    private Operand<TFloat32> resnet(String key, Operand<TFloat32> x, Operand<TFloat32> embedding, long width) {
        return probes.record(key, DiffusersBlocks.resnet(tf, w, key, x, x.shape().get(3), width, embedding,
                config.timeEmbeddingWidth(), config.normNumGroups(), config.normEps()));
    }
}
