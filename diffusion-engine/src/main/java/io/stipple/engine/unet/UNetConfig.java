package io.stipple.engine.unet;

import java.util.List;

/**
 * Architecture of a {@link UNet}.
 *
 * @param imageSize height and width of the sample (square)
 * @param channels channels of the sample and of the output
 * @param extraInputChannels channels concatenated to the sample before the first convolution
 *        (a super-resolution stage's upsampled low-resolution image, input {@code low_res}); 0 for none
 * @param baseChannels width of the first level
 * @param channelMultipliers width of each level as a multiple of {@code baseChannels}; each level
 *        after the first halves the resolution
 * @param resBlocksPerLevel residual blocks per level on the way down (one more on the way up)
 * @param attentionResolutions feature-map sizes at which self-attention (and cross-attention to
 *        the text, when {@code textWidth > 0}) follows each residual block; the middle block has
 *        attention too unless this list is empty: a network without attention is fully
 *        convolutional (a super-resolution stage trained on crops and run on whole images, where
 *        self-attention would depend on the image size)
 * @param heads attention heads
 * @param groups GroupNorm groups
 * @param textWidth width D of the text embedding [B, L, D] attended to; 0 for an unconditional network
 * @param augmentationLevelEmbedding whether a noise-augmentation level [B] (input {@code aug_level})
 *        is embedded and added to the time embedding (cascaded diffusion's conditioning augmentation)
 */
public record UNetConfig(int imageSize, int channels, int extraInputChannels, int baseChannels,
        List<Integer> channelMultipliers, int resBlocksPerLevel, List<Integer> attentionResolutions, int heads,
        int groups, int textWidth, boolean augmentationLevelEmbedding) {

    public UNetConfig {
        channelMultipliers = List.copyOf(channelMultipliers);
        attentionResolutions = List.copyOf(attentionResolutions);
        if (imageSize % (1 << (channelMultipliers.size() - 1)) != 0) {
            throw new IllegalArgumentException("image size " + imageSize + " cannot be halved "
                    + (channelMultipliers.size() - 1) + " times");
        }
        for (int multiplier : channelMultipliers) {
            if (baseChannels * multiplier % groups != 0 || baseChannels * multiplier % heads != 0) {
                throw new IllegalArgumentException("level width " + baseChannels * multiplier
                        + " must divide into " + groups + " groups and " + heads + " heads");
            }
        }
        if (attentionResolutions.isEmpty() && textWidth > 0) {
            throw new IllegalArgumentException("text reaches the U-Net through cross-attention: a network with text"
                    + " width " + textWidth + " needs at least one attention resolution");
        }
        if (resBlocksPerLevel < 1 || channels < 1 || extraInputChannels < 0 || textWidth < 0) {
            throw new IllegalArgumentException("invalid U-Net config " + this);
        }
    }

    /** The same network for another sample size (its weights fit any size the levels can halve). */
    public UNetConfig withImageSize(int size) {
        return new UNetConfig(size, channels, extraInputChannels, baseChannels, channelMultipliers, resBlocksPerLevel,
                attentionResolutions, heads, groups, textWidth, augmentationLevelEmbedding);
    }

    /** Whether the network is fully convolutional: no attention anywhere, so any size works with the same weights. */
    public boolean fullyConvolutional() {
        return attentionResolutions.isEmpty();
    }

    /** Width of the time embedding: 4x the base width, as in DDPM. */
    public int timeEmbeddingWidth() {
        return 4 * baseChannels;
    }
}
