package io.stipple.engine.sd.unet;

import java.util.List;

/**
 * What a diffusers {@code UNet2DConditionModel} of the SD 1.x / 2.x family is made of, read from its
 * {@code unet/config.json} by {@link UNetConfigReader}. Lists indexed by level run from the top
 * (full resolution) down, as the down blocks do; the up blocks use them reversed.
 *
 * @param inChannels                 latent channels in
 * @param outChannels                latent channels out
 * @param blockOutChannels           channels of each level
 * @param downBlocks                 each down block's kind
 * @param upBlocks                   each up block's kind, from the bottom level up
 * @param layersPerBlock             resnets per down block (up blocks have one more)
 * @param headsPerLevel              attention heads of each level's transformers, after diffusers'
 *                                   legacy rule (a single {@code attention_head_dim} is the head count)
 * @param transformerLayersPerLevel  transformer blocks inside each level's attention
 * @param crossAttentionDim          width of {@code encoder_hidden_states}
 * @param useLinearProjection        proj_in/proj_out as linear layers (SD 2.x) rather than 1x1 convs
 * @param upcastAttention            attention scores in float32 under fp16 (no effect in a float32 graph)
 * @param normNumGroups              GroupNorm groups everywhere
 * @param normEps                    the resnets' and the output norm's epsilon
 * @param flipSinToCos               time features as [cos, sin] rather than [sin, cos]
 * @param freqShift                  the {@code downscale_freq_shift} of the time features
 * @param downsamplePadding          padding of the stride-2 downsampling conv on every side
 * @param convInKernel               kernel size of conv_in
 * @param convOutKernel              kernel size of conv_out
 * @param sampleSize                 the latent size the model was trained at (any multiple of 8 runs)
 */
public record UNetConfig(int inChannels, int outChannels, List<Integer> blockOutChannels,
        List<BlockKind> downBlocks, List<BlockKind> upBlocks, int layersPerBlock, List<Integer> headsPerLevel,
        List<Integer> transformerLayersPerLevel, int crossAttentionDim, boolean useLinearProjection,
        boolean upcastAttention, int normNumGroups, float normEps, boolean flipSinToCos, float freqShift,
        int downsamplePadding, int convInKernel, int convOutKernel, int sampleSize) {

    /** The block kinds SD 1.x / 2.x use; a down block and its mirrored up block both attend or both not. */
    public enum BlockKind {
        CROSS_ATTN_DOWN("CrossAttnDownBlock2D", true),
        DOWN("DownBlock2D", false),
        CROSS_ATTN_UP("CrossAttnUpBlock2D", true),
        UP("UpBlock2D", false);

        private final String diffusersName;
        private final boolean attends;

        BlockKind(String diffusersName, boolean attends) {
            this.diffusersName = diffusersName;
            this.attends = attends;
        }

        public String diffusersName() {
            return diffusersName;
        }

        /** Whether it has cross-attention transformers after its resnets. */
        public boolean attends() {
            return attends;
        }
    }

    public UNetConfig {
        blockOutChannels = List.copyOf(blockOutChannels);
        downBlocks = List.copyOf(downBlocks);
        upBlocks = List.copyOf(upBlocks);
        headsPerLevel = List.copyOf(headsPerLevel);
        transformerLayersPerLevel = List.copyOf(transformerLayersPerLevel);
    }

    public int levels() {
        return blockOutChannels.size();
    }

    /** Width of the time embedding: four times the first level's channels. */
    public int timeEmbeddingWidth() {
        return 4 * blockOutChannels.get(0);
    }
}
