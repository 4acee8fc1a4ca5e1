package io.stipple.engine.unet;

import io.stipple.engine.text.TextEncoderConfig;

/**
 * A whole denoising model: the U-Net and, for a text-conditioned model, the text encoder whose
 * output width must match the U-Net's {@code textWidth}.
 *
 * @param unet the denoising network
 * @param textEncoder the jointly trained text encoder, or null for an unconditional model
 */
public record ModelConfig(UNetConfig unet, TextEncoderConfig textEncoder) {

    public ModelConfig {
        int textWidth = textEncoder == null ? 0 : textEncoder.width();
        if (unet.textWidth() != textWidth) {
            throw new IllegalArgumentException("U-Net expects text width " + unet.textWidth()
                    + " but the text encoder produces " + textWidth);
        }
    }

    public boolean textConditioned() {
        return textEncoder != null;
    }
}
