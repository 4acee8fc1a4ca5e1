package io.stipple.engine.pipeline;

import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.image.GenerationParameters;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.model.ImageSize;
import io.stipple.engine.noise.PhiloxNoise.ImageKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request to PNGs with a loaded model of any family: prompt encoding, guided sampling with the
 * requested sampler in the model's sample space, one decode to images, then one PNG per image
 * carrying its {@link GenerationParameters} (enough to reproduce it). Stateless apart from the
 * model; safe to share across threads as far as the model is.
 */
public final class GenerationPipeline {

    /** The stage name reported to step listeners' callers for base-model sampling. */
    public static final String BASE_STAGE = "base";

    private final DiffusionModel model;

    public GenerationPipeline(DiffusionModel model) {
        this.model = model;
    }

    public DiffusionModel model() {
        return model;
    }

    /** The size of the request's images: the one it asks for, else the model's native size. */
    public ImageSize imageSize(GenerationRequest request) {
        return request.size() != null ? request.size() : model.defaults().nativeSize();
    }

    /**
     * Samples every image of the request in one batch.
     *
     * @param listener told after every step; throwing from it (e.g. on cancel) stops the run
     */
    public List<GeneratedImage> generate(GenerationRequest request, StepListener listener) {
        return encode(request, sample(request, listener), imageSize(request), Map.of());
    }

    /** The request's images as NHWC RGB floats in [-1, 1] (what {@link #generate} encodes), e.g. to upscale further. */
    public float[] sample(GenerationRequest request, StepListener listener) {
        float[] images = sampleBatch(List.of(request), listener).get(0);
        requireFinite(images);
        return images;
    }

    /**
     * Dynamic batching: samples the images of several requests together, so every network call
     * covers all of them. Image {@code i} of each request keeps its own prompts and draws its noise
     * from (its seed, i), so each request gets the very floats {@link #sample} gives it alone. The
     * requests must have equal {@link GenerationRequest#samplingSettings()}.
     *
     * @param listener told after every step of the shared run; throwing stops it for all requests
     * @return per request (in order), its images as NHWC floats; not checked for finiteness, so
     *         one diverged request does not fail the others ({@link #encode} checks)
     */
    public List<float[]> sampleBatch(List<GenerationRequest> requests, StepListener listener) {
        SamplingSettings shared = requests.get(0).samplingSettings();
        if (requests.size() > 1 && requests.stream().anyMatch(GenerationRequest::samplesAlone)) {
            throw new IllegalArgumentException("a request that starts from an image or uses classifier guidance is"
                    + " sampled alone, not in a batch of " + requests.size());
        }
        List<String> prompts = new ArrayList<>();
        List<String> negatives = new ArrayList<>();
        List<ImageKey> noise = new ArrayList<>();
        for (GenerationRequest request : requests) {
            if (!request.samplingSettings().equals(shared)) {
                throw new IllegalArgumentException("requests sampled together must share sampling settings: "
                        + shared + " vs " + request.samplingSettings());
            }
            prompts.addAll(Collections.nCopies(request.numImages(), request.prompt()));
            negatives.addAll(Collections.nCopies(request.numImages(), request.negativePrompt()));
            for (int i = 0; i < request.numImages(); i++) {
                noise.add(new ImageKey(request.seed(), i));
            }
        }
        var schedulerConfig = shared.sampler().configFor(model, shared.schedulerSettings());
        GenerationRequest first = requests.get(0);
        ImageSize size = imageSize(first);
        PromptSampler sampler = new PromptSampler(model, schedulerConfig, shared.steps(), shared.guidance()).atSize(size);
        if (first.start() != null) {
            sampler.startingFrom(first.start());
        }
        if (first.classifierTarget() != null) {
            sampler.withClassifierGuidance(first.classifierTarget());
        }
        float[] all = sampler.sample(prompts, negatives, noise, listener);
        int perImage = size.rgbValues();
        List<float[]> split = new ArrayList<>(requests.size());
        int from = 0;
        for (GenerationRequest request : requests) {
            int to = from + request.numImages() * perImage;
            split.add(Arrays.copyOfRange(all, from, to));
            from = to;
        }
        return split;
    }

    /**
     * Row {@code row} of a step's predicted clean samples ({@code StepOutput.predOriginalSample}, in
     * sample space) as one RGB image of {@code size}, decoded and clamped: what a progress preview shows.
     */
    public float[] previewImage(float[] predictedSamples, int row, ImageSize size) {
        int[] shape = model.sampleShape(size);
        int per = shape[0] * shape[1] * shape[2];
        float[] one = Arrays.copyOfRange(predictedSamples, row * per, (row + 1) * per);
        return DecodedImages.of(model.codec(), Tensor.of(one, 1, shape[0], shape[1], shape[2]));
    }

    /** One PNG per square image of side {@code size}: {@link #encode(GenerationRequest, float[], ImageSize, Map)}. */
    public List<GeneratedImage> encode(GenerationRequest request, float[] images, int size,
            Map<String, String> moreExtra) {
        return encode(request, images, ImageSize.square(size), moreExtra);
    }

    /**
     * One PNG per image of {@code images} (each {@code size}), carrying the request's parameters
     * plus {@code moreExtra} (e.g. a cascade's stage settings).
     */
    public List<GeneratedImage> encode(GenerationRequest request, float[] images, ImageSize size,
            Map<String, String> moreExtra) {
        requireFinite(images);
        String modelName = model.identity().reference();
        Map<String, String> extra = extra(request);
        extra.putAll(moreExtra);
        return GeneratedImage.encodeAll(images, request.numImages(), size, i -> new GenerationParameters(
                request.prompt(), request.negativePrompt(), request.seed(), i, modelName, request.sampler().wireName(),
                request.steps(), request.guidance().scale(), size.width(), size.height(), extra));
    }

    /** A NaN would otherwise become a silently black pixel (PNG encoding clamps); fail loudly instead. */
    private static void requireFinite(float[] images) {
        for (float value : images) {
            if (!Float.isFinite(value)) {
                throw new ArithmeticException("sampling produced non-finite pixel values (model or settings diverged)");
            }
        }
    }

    /** Settings beyond the record's fields, as strings in key order so equal requests give equal bytes. */
    private static Map<String, String> extra(GenerationRequest request) {
        Map<String, String> extra = new LinkedHashMap<>();
        if (request.guidance().rescale() != 0) {
            extra.put("guidance_rescale", Double.toString(request.guidance().rescale()));
        }
        new TreeMap<>(request.schedulerSettings()).forEach((key, value) -> extra.put(key, String.valueOf(value)));
        if (request.start() != null) {
            extra.put(request.start().inpaints() ? "inpainting" : "init_strength",
                    request.start().inpaints() ? "true" : Double.toString(request.start().strength()));
        }
        if (request.classifierTarget() != null) {
            extra.put("classifier_label", request.classifierTarget().label());
            extra.put("classifier_scale", Double.toString(request.classifierTarget().scale()));
        }
        return extra;
    }
}
