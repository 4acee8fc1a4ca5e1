package io.stipple.engine.pipeline;

import io.stipple.engine.image.GenerationParameters;

/** One encoded result: image {@code parameters.index()} of a request, as PNG bytes with the parameters in tEXt. */
public record GeneratedImage(byte[] png, GenerationParameters parameters) {
}
