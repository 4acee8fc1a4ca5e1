package io.stipple.engine.pipeline;

import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.export.StippleModel;
import io.stipple.engine.guidance.ClassifierFreeGuidance;
import io.stipple.engine.guidance.GuidanceSettings;
import io.stipple.engine.guidance.StepModel;
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
import java.util.Collections;
import java.util.Map;
import java.util.List;
import java.util.function.Function;

/**
 * Text to image with a loaded model: encodes the prompts (and the empty or negative prompt),
 * wraps the denoiser in classifier-free guidance and runs the sampler. Image {@code i} of a call
 * draws its noise from (seed, firstIndex + i), so it comes out the same in any batch.
 */
public final class PromptSampler {

    private final StippleModel model;
    private final SchedulerConfig schedulerConfig;
    private final int steps;
    private final GuidanceSettings guidance;
    private NoiseAwareClassifier classifier;
    private double classifierScale;
    private Function<String, SceneSpec> classifierSpec = CaptionParser::parse;
    private ImageStart start;

    public PromptSampler(StippleModel model, SamplerChoice sampler, int steps, double guidanceScale,
            boolean dynamicThresholding) {
        this(model, sampler.configFor(model.schedulerConfig(), dynamicThresholding), steps,
                GuidanceSettings.scale(guidanceScale));
    }

    /** @param schedulerConfig the sampler over the model's schedule ({@link SamplerChoice#configFor}) */
    public PromptSampler(StippleModel model, SchedulerConfig schedulerConfig, int steps, GuidanceSettings guidance) {
        this.model = model;
        this.schedulerConfig = schedulerConfig;
        this.steps = steps;
        this.guidance = guidance;
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

    /** NHWC images in [-1, 1], one per prompt. */
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
        int[] shape = model.denoiser().sampleShape();
        Conditioning conditional = model.conditioning(prompts);
        StepModel stepModel = model.textConditioned()
                ? new ClassifierFreeGuidance(model.denoiser(), conditional, model.conditioning(negativePrompts), guidance)
                : StepModel.of(model.denoiser(), conditional);
        Scheduler scheduler = SchedulerConfigs.create(schedulerConfig);
        if (classifier != null) {
            if (schedulerConfig.predictionType() == PredictionType.V_PREDICTION) {
                stepModel = new VelocityAsEpsilon(stepModel, scheduler);
                scheduler = SchedulerConfigs.create(schedulerConfig.with(Map.of("prediction_type", "epsilon")));
            }
            List<SceneSpec> specs = prompts.stream().map(classifierSpec).toList();
            stepModel = new ClassifierGuidance(stepModel, new SpecGradient(classifier, specs), classifierScale, scheduler);
        }
        int[] batchShape = {n, shape[0], shape[1], shape[2]};
        PhiloxNoise noise = PhiloxNoise.forKeys(noiseKeys);
        Tensor images;
        if (start == null) {
            images = TextToImage.sample(scheduler, stepModel, steps, batchShape, noise, listener);
        } else {
            Tensor initial = Tensor.of(ImageStart.repeated(start.image(), n), batchShape);
            images = start.inpaints()
                    ? Inpainting.sample(scheduler, stepModel, steps, initial, ImageStart.repeated(start.keepMask(), n), 1,
                            noise, listener)
                    : ImageToImage.sample(scheduler, stepModel, steps, start.strength(), initial, noise, listener);
        }
        float[] values = images.data();
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.max(-1f, Math.min(1f, values[i]));
        }
        return values;
    }

    public SchedulerConfig schedulerConfig() {
        return schedulerConfig;
    }
}
