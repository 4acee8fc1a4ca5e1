package io.stipple.engine.nn;

import java.util.regex.Pattern;

/**
 * LoRA (Hu et al. 2021): dense layers whose name matches {@code target} get a trainable low-rank
 * update, y = x W + b + (alpha / rank) x A B, with A [in, rank] random and B [rank, out] zero, so
 * training starts exactly at the frozen base model. Everything else stays frozen.
 *
 * @param rank inner dimension r of the update
 * @param alpha scale of the update (alpha / rank multiplies it)
 * @param target which dense layers to adapt, matched against the layer name
 */
public record LowRankAdapters(int rank, float alpha, Pattern target) {

    /** The U-Net's attention projections (query, key, value, output), the usual DreamBooth-LoRA choice. */
    public static final Pattern UNET_ATTENTION = Pattern.compile("unet_.*_(self|cross)_(query|key|value|out)");

    /** The U-Net's and the text encoder's attention projections (LoRA with a trained text encoder). */
    public static final Pattern UNET_AND_TEXT_ATTENTION = Pattern.compile(
            "(unet_.*_(self|cross)|text_layer\\d+_attn)_(query|key|value|out)");

    public LowRankAdapters {
        if (rank < 1 || alpha <= 0) {
            throw new IllegalArgumentException("LoRA rank must be >= 1 and alpha > 0");
        }
    }

    public static LowRankAdapters attention(int rank) {
        return new LowRankAdapters(rank, rank, UNET_ATTENTION);
    }

    /** Adapters on the U-Net's attention projections and, with {@code textEncoder}, on the text encoder's too. */
    public static LowRankAdapters attention(int rank, boolean textEncoder) {
        return new LowRankAdapters(rank, rank, textEncoder ? UNET_AND_TEXT_ATTENTION : UNET_ATTENTION);
    }

    boolean adapts(String layerName) {
        return target.matcher(layerName).matches();
    }

    /** Whether a parameter is one of the adapter weights (what a LoRA export contains). */
    public static boolean isAdapterWeight(String parameterName) {
        return parameterName.endsWith(DOWN) || parameterName.endsWith(UP);
    }

    static final String DOWN = "_lora_down";
    static final String UP = "_lora_up";
}
