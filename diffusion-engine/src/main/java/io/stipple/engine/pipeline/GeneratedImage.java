package io.stipple.engine.pipeline;

import io.stipple.engine.image.GenerationParameters;
import io.stipple.engine.image.PngCodec;
import io.stipple.engine.image.RgbImage;
import io.stipple.engine.model.ImageSize;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** One encoded result: image {@code parameters.index()} of a request, as PNG bytes with the parameters in tEXt. */
public record GeneratedImage(byte[] png, GenerationParameters parameters) {

    /** PNGs of {@code count} square NHWC images of side {@code size}; image i carries {@code parametersOf(i)}. */
    public static List<GeneratedImage> encodeAll(float[] images, int count, int size,
            IntFunction<GenerationParameters> parametersOf) {
        return encodeAll(images, count, ImageSize.square(size), parametersOf);
    }

    /** PNGs of {@code count} NHWC images of {@code size}; image i carries {@code parametersOf(i)}. */
    public static List<GeneratedImage> encodeAll(float[] images, int count, ImageSize size,
            IntFunction<GenerationParameters> parametersOf) {
        List<GeneratedImage> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            GenerationParameters parameters = parametersOf.apply(i);
            byte[] png = PngCodec.encode(RgbImage.fromBatch(images, i, size.height(), size.width()),
                    parameters.toPngText());
            results.add(new GeneratedImage(png, parameters));
        }
        return results;
    }
}
