package io.stipple.engine.sd.singlefile;

import java.util.Set;

/**
 * What a single-file checkpoint cannot tell and its user must state, with Stable Diffusion's defaults.
 *
 * @param predictionType   what the U-Net predicts: {@code epsilon} (SD 1.x, SD 2.x base 512) or
 *                         {@code v_prediction} (SD 2.x 768-v); no file records it
 * @param textEncoderHeads attention heads of the text encoder; 0 infers them as hidden size / 64,
 *                         true of every released CLIP and OpenCLIP text encoder
 * @param eosTokenId       the tokenizer's end-of-text id, which picks the pooled output; -1 keeps
 *                         the released SD 1.5 / 2.1 configs' value, 2: transformers' legacy rule,
 *                         the position of the largest id (end-of-text in CLIP's vocabulary)
 * @param nativeResolution the image side the model was trained at (512 for SD 1.x and SD 2.x base,
 *                         768 for SD 2.x 768-v); the U-Net's {@code sample_size} is it over the VAE's scale
 */
public record StatedConfig(String predictionType, int textEncoderHeads, int eosTokenId, int nativeResolution) {

    private static final Set<String> PREDICTION_TYPES = Set.of("epsilon", "v_prediction");

    public StatedConfig {
        if (!PREDICTION_TYPES.contains(predictionType)) {
            throw new IllegalArgumentException("prediction type \"" + predictionType + "\" is not one of " + PREDICTION_TYPES);
        }
        if (textEncoderHeads < 0 || eosTokenId < -1 || nativeResolution < 8 || nativeResolution % 8 != 0) {
            throw new IllegalArgumentException("invalid stated config " + predictionType + ", heads " + textEncoderHeads
                    + ", eos " + eosTokenId + ", resolution " + nativeResolution);
        }
    }

    /** Epsilon prediction at 512x512, heads and end-of-text id as the released SD models have them. */
    public static StatedConfig sdDefaults() {
        return new StatedConfig("epsilon", 0, -1, 512);
    }
}
