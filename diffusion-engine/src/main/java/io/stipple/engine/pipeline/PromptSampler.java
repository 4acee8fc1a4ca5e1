package io.stipple.engine.pipeline;

import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.guidance.ClassifierFreeGuidance;
import io.stipple.engine.guidance.GuidanceSettings;
import io.stipple.engine.guidance.StepModel;
import io.stipple.engine.image.RgbImage;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.model.ImageSize;
import io.stipple.engine.model.PromptEncoder;
import io.stipple.engine.model.SampleCodec;
import io.stipple.engine.noise.PhiloxNoise;
import io.stipple.engine.noise.PhiloxNoise.ImageKey;
import io.stipple.engine.schedulers.SchedulerConfig;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.classifier.NoiseAwareClassifier;
import io.stipple.engine.classifier.SpecGradient;
import io.stipple.engine.data.CaptionParser;
import io.stipple.engine.data.SceneSpec;
import io.stipple.engine.guidance.ClassifierGuidance;
import io.stipple.engine.schedulers.PredictionType;
import io.stipple.engine.schedulers.Scheduler;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Text to image with a loaded model: encodes the prompts (and the empty or negative prompt),
 * wraps the denoiser in classifier-free guidance and runs the sampler in the model's sample space,
 * then decodes the samples to images once ({@link SampleCodec}) and clamps those. Image {@code i}
 * of a call draws its noise from (seed, firstIndex + i), so it comes out the same in any batch.
 */
public final class PromptSampler {

    private final DiffusionModel model;
    private final SchedulerConfig schedulerConfig;
    private final int steps;
    private final GuidanceSettings guidance;
    private NoiseAwareClassifier classifier;
    private double classifierScale;
    private Function<String, SceneSpec> classifierSpec = CaptionParser::parse;
    private ImageStart start;
    private ImageSize size;
    private Tensor initialNoise;

    public PromptSampler(DiffusionModel model, SamplerChoice sampler, int steps, double guidanceScale,
            boolean dynamicThresholding) {
        this(model, sampler.configFor(model, dynamicThresholding ? Map.of("thresholding", true) : Map.of()), steps,
                GuidanceSettings.scale(guidanceScale));
    }

    /** @param schedulerConfig the sampler over the model's schedule ({@link SamplerChoice#configFor}) */
    public PromptSampler(DiffusionModel model, SchedulerConfig schedulerConfig, int steps, GuidanceSettings guidance) {
        this.model = model;
        this.schedulerConfig = schedulerConfig;
        this.steps = steps;
        this.guidance = guidance;
        this.size = model.defaults().nativeSize();
    }

    /** Images of {@code imageSize} instead of the model's native size (the model must accept it). */
    public PromptSampler atSize(ImageSize imageSize) {
        model.sampleShape(imageSize);
        this.size = imageSize;
        return this;
    }

    /**
     * Adds classifier guidance (Dhariwal and Nichol 2021) towards the attributes each prompt names,
     * on top of classifier-free guidance. A v-predicting model is converted to epsilon for it.
     */
    public PromptSampler withClassifierGuidance(NoiseAwareClassifier noiseAwareClassifier, double scale) {
        this.classifier = noiseAwareClassifier;
        this.classifierScale = scale;
        return this;
    }

    /** Classifier guidance towards each prompt's attributes with the target's label imposed ({@link ClassifierTarget#specFor}). */
    public PromptSampler withClassifierGuidance(ClassifierTarget target) {
        withClassifierGuidance(target.classifier(), target.scale());
        this.classifierSpec = target::specFor;
        return this;
    }

    /** Every image starts from {@code imageStart}'s image: image-to-image or inpainting instead of text to image. */
    public PromptSampler startingFrom(ImageStart imageStart) {
        this.start = imageStart;
        return this;
    }

    /** NHWC RGB images of {@link #imageSize()} in [-1, 1], one per prompt. */
    public float[] sample(List<String> prompts, String negativePrompt, long seed, int firstIndex) {
        return sample(prompts, negativePrompt, seed, firstIndex, StepListener.NONE);
    }

    /** As {@link #sample(List, String, long, int)}, telling {@code listener} after every step (it may throw to stop). */
    public float[] sample(List<String> prompts, String negativePrompt, long seed, int firstIndex,
            StepListener listener) {
        int n = prompts.size();
        return sample(prompts, Collections.nCopies(n, negativePrompt), PhiloxNoise.forImages(seed, firstIndex, n).keys(),
                listener);
    }

    /**
     * One row per image, each with its own prompt, negative prompt and noise stream: the rows may
     * come from different requests (dynamic batching), and each comes out as it would alone.
     */
    public float[] sample(List<String> prompts, List<String> negativePrompts, List<ImageKey> noiseKeys,
            StepListener listener) {
        int n = prompts.size();
        if (negativePrompts.size() != n || noiseKeys.size() != n) {
            throw new IllegalArgumentException(n + " prompts need as many negative prompts and noise keys, got "
                    + negativePrompts.size() + " and " + noiseKeys.size());
        }
        PromptEncoder encoder = model.prompts();
        Conditioning conditional = encoder.encode(prompts);
        Conditioning unconditional = encoder.textConditioned() ? encoder.encode(negativePrompts) : null;
        List<SceneSpec> specs = classifier == null ? null : prompts.stream().map(classifierSpec).toList();
        return run(conditional, unconditional, specs, noiseKeys, listener);
    }

    /**
     * From conditioning encoded elsewhere (e.g. a reference implementation's prompt embeddings),
     * one row per image; {@code unconditional} is null for a model that takes no prompt. Classifier
     * guidance needs the prompts, so it is refused here.
     */
    public float[] sampleEncoded(Conditioning conditional, Conditioning unconditional, List<ImageKey> noiseKeys,
            StepListener listener) {
        if (classifier != null) {
            throw new IllegalStateException("classifier guidance reads the prompts' attributes: sample from prompts");
        }
        if (conditional.batchSize() != noiseKeys.size()) {
            throw new IllegalArgumentException(conditional.batchSize() + " conditioning rows but " + noiseKeys.size()
                    + " noise keys");
        }
        return run(conditional, unconditional, null, noiseKeys, listener);
    }

    /**
     * Every image starts from this unit-variance noise instead of its stream's first draw (diffusers'
     * {@code latents=}: fixed starting latents to compare with an outside reference); {@code [B, h,
     * w, c]} in sample space, one row per image sampled. Text to image only.
     */
    public PromptSampler startingFromNoise(Tensor noise) {
        this.initialNoise = noise;
        return this;
    }

    private float[] run(Conditioning conditional, Conditioning unconditional, List<SceneSpec> specs,
            List<ImageKey> noiseKeys, StepListener listener) {
        int n = noiseKeys.size();
        int[] shape = model.sampleShape(size);
        StepModel stepModel = unconditional != null
                ? new ClassifierFreeGuidance(model.denoiser(), conditional, unconditional, guidance)
                : StepModel.of(model.denoiser(), conditional);
        Scheduler scheduler = SchedulerConfigs.create(schedulerConfig);
        SampleCodec codec = model.codec();
        if (classifier != null) {
            if (!codec.pixelSpace()) {
                throw new UnsupportedOperationException("classifier guidance reads images, and " + model.identity()
                        + " samples in a latent space");
            }
            if (schedulerConfig.predictionType() == PredictionType.V_PREDICTION) {
                stepModel = new VelocityAsEpsilon(stepModel, scheduler);
                scheduler = SchedulerConfigs.create(schedulerConfig.with(Map.of("prediction_type", "epsilon")));
            }
            stepModel = new ClassifierGuidance(stepModel, new SpecGradient(classifier, specs), classifierScale, scheduler);
        }
        int[] batchShape = {n, shape[0], shape[1], shape[2]};
        PhiloxNoise noise = PhiloxNoise.forKeys(noiseKeys);
        Tensor samples;
        if (start == null && initialNoise == null) {
            samples = TextToImage.sample(scheduler, stepModel, steps, batchShape, noise, listener);
        } else if (start == null) {
            if (!Arrays.equals(initialNoise.shape(), batchShape)) {
                throw new IllegalArgumentException("the starting noise has shape " + Arrays.toString(initialNoise.shape())
                        + ", the samples " + Arrays.toString(batchShape));
            }
            samples = TextToImage.sampleFrom(scheduler, stepModel, steps, initialNoise, noise, listener);
        } else {
            if (initialNoise != null) {
                throw new IllegalStateException("starting noise is for text to image, not for a start image");
            }
            if (start.image().length != size.rgbValues()) {
                throw new IllegalArgumentException("the start image has " + start.image().length + " values, not those of"
                        + " one " + size + " RGB image (" + size.rgbValues() + ")");
            }
            int[] imageShape = {n, size.height(), size.width(), RgbImage.CHANNELS};
            Tensor initial = codec.encode(Tensor.of(ImageStart.repeated(start.image(), n), imageShape));
            samples = start.inpaints()
                    ? Inpainting.sample(scheduler, stepModel, steps, initial,
                            codec.maskToSamples(Tensor.of(ImageStart.repeated(start.keepMask(), n), imageShape)).data(),
                            1, noise, listener)
                    : ImageToImage.sample(scheduler, stepModel, steps, start.strength(), initial, noise, listener);
        }
        return DecodedImages.of(codec, samples);
    }

    /** The size of the images {@link #sample} returns. */
    public ImageSize imageSize() {
        return size;
    }

    public SchedulerConfig schedulerConfig() {
        return schedulerConfig;
    }
}
