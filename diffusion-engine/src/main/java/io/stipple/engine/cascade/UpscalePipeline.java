package io.stipple.engine.cascade;

import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.image.GenerationParameters;
import io.stipple.engine.image.Resize;
import io.stipple.engine.image.RgbImage;
import io.stipple.engine.pipeline.GeneratedImage;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Upscales a user's image with super-resolution stages only (no base model); one PNG per variant.
 * The image is real, so stages without settings use each card's {@code default_aug_level}
 * ({@link InputOrigin#REAL}).
 */
public final class UpscalePipeline {

    private final UpscaleChain chain;

    public UpscalePipeline(List<? extends DiffusionModel> stages) {
        this.chain = new UpscaleChain(stages, InputOrigin.REAL);
    }

    public UpscaleChain chain() {
        return chain;
    }

    public List<GeneratedImage> upscale(UpscaleRequest request, CascadeListener listener) {
        List<StageSettings> settings = chain.resolve(request.stages());
        int n = request.numImages();
        RgbImage input = Resize.toSquare(request.image(), chain.inputSize());
        float[] inputs = RgbImage.toBatch(Collections.nCopies(n, input));
        float[] upscaled = chain.upscale(inputs, Collections.nCopies(n, request.prompt()), request.negativePrompt(),
                settings, request.seed(), 0, listener);
        Map<String, String> extra = chain.describe(settings);
        extra.put("upscaled_from", request.image().width() + "x" + request.image().height());
        StageSettings first = settings.get(0);
        String model = chain.stages().get(0).model().identity().reference();
        int size = chain.outputSize();
        return GeneratedImage.encodeAll(upscaled, n, size, i -> new GenerationParameters(request.prompt(),
                request.negativePrompt(), request.seed(), i, model,
                first.sampler().wireName(), first.steps(), first.guidance().scale(), size, size, extra));
    }
}
