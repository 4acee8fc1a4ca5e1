package io.stipple.engine.text;

/**
 * Shape of the transformer text encoder.
 *
 * @param vocabularySize number of token ids
 * @param maxLength tokens per prompt (L)
 * @param width embedding width (D) of tokens and of the output
 * @param layers transformer layers
 * @param heads attention heads per layer
 */
public record TextEncoderConfig(int vocabularySize, int maxLength, int width, int layers, int heads) {

    public TextEncoderConfig {
        if (vocabularySize < 2 || maxLength < 1 || width < 1 || layers < 0 || heads < 1 || width % heads != 0) {
            throw new IllegalArgumentException("invalid text encoder config " + this);
        }
    }
}
