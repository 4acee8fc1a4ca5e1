package io.stipple.engine.cascade;

import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.model.ImageSize;
import io.stipple.engine.pipeline.GeneratedImage;
import io.stipple.engine.pipeline.GenerationPipeline;
import io.stipple.engine.pipeline.GenerationRequest;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Text to image through a cascade (Ho et al. 2022): base model sampling, then each
 * super-resolution stage with its own sampler, steps, guidance and augmentation level, then one
 * PNG per image whose parameters name every stage. Stages without settings use each card's default
 * augmentation level for generated inputs ({@link InputOrigin#GENERATED}). Image {@code i} is identical whether sampled
 * alone or in a batch (every stage keys its noise by (seed, i), see {@link UpscaleChain}).
 */
public final class CascadePipeline {

    public static final String BASE_STAGE = GenerationPipeline.BASE_STAGE;

    private final GenerationPipeline base;
    private final int baseSize;
    private final UpscaleChain chain;

    /** @param stages super-resolution models in order, the first taking the base model's size */
    public CascadePipeline(DiffusionModel baseModel, List<? extends DiffusionModel> stages) {
        this.base = new GenerationPipeline(baseModel);
        ImageSize nativeSize = baseModel.defaults().nativeSize();
        if (nativeSize.width() != nativeSize.height()) {
            throw new IllegalArgumentException("the cascade's stages take square images, " + baseModel.identity()
                    + " makes " + nativeSize);
        }
        this.baseSize = nativeSize.width();
        this.chain = new UpscaleChain(stages, InputOrigin.GENERATED);
        if (chain.inputSize() != baseSize) {
            throw new IllegalArgumentException("the first stage takes " + chain.inputSize() + "x" + chain.inputSize()
                    + " images but the base model makes " + baseSize + "x" + baseSize);
        }
    }

    public UpscaleChain chain() {
        return chain;
    }

    /**
     * @param request the base stage's request (prompt, seed, images, sampler, ...)
     * @param stages  one setting per super-resolution stage, or null for each card's defaults (and
     *                its cascade augmentation level)
     */
    public List<GeneratedImage> generate(GenerationRequest request, List<StageSettings> stages,
            CascadeListener listener) {
        return upscaleAndEncode(request, base.sample(request, listener.stage(BASE_STAGE)), stages, listener);
    }

    /**
     * The rest of {@link #generate} after base sampling: for a worker that sampled the base images
     * itself (e.g. batched with other requests, {@code GenerationPipeline.sampleBatch}).
     *
     * @param images the request's base images, NHWC floats as {@code GenerationPipeline.sample} returns them
     */
    public List<GeneratedImage> upscaleAndEncode(GenerationRequest request, float[] images,
            List<StageSettings> stages, CascadeListener listener) {
        List<StageSettings> settings = chain.resolve(stages);
        List<String> prompts = Collections.nCopies(request.numImages(), request.prompt());
        float[] upscaled = chain.upscale(images, prompts, request.negativePrompt(), settings, request.seed(), 0,
                listener);
        Map<String, String> extra = chain.describe(settings);
        extra.put("base_size", Integer.toString(baseSize));
        return base.encode(request, upscaled, chain.outputSize(), extra);
    }
}
