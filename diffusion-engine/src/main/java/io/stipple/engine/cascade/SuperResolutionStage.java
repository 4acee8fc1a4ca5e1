package io.stipple.engine.cascade;

import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.model.SuperResolutionSpec;
import io.stipple.engine.guidance.ClassifierFreeGuidance;
import io.stipple.engine.guidance.StepModel;
import io.stipple.engine.noise.PhiloxNoise;
import io.stipple.engine.pipeline.StepListener;
import io.stipple.engine.pipeline.TextToImage;
import io.stipple.engine.schedulers.NoiseSchedule;
import io.stipple.engine.schedulers.Scheduler;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.unet.ModelInputs;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One super-resolution stage (SR3, Saharia et al. 2021; as a cascade stage, Ho et al. 2022):
 * samples the residual of {@code outputSize} images over their bicubically upsampled
 * {@code inputSize} inputs (times the card's residual scale), conditioned on those inputs, and adds
 * it back. Image {@code i} of a
 * call draws from the Philox stream (seed, firstIndex + i): draw 0 is its augmentation noise,
 * draw 1 the initial latent, later draws the sampler's, so it does not depend on the batch.
 */
public final class SuperResolutionStage {

    private final DiffusionModel model;
    private final SuperResolutionSpec spec;
    private final NoiseSchedule schedule;

    /** @param model a loaded super-resolution model (its card and signature were validated on load) */
    public SuperResolutionStage(DiffusionModel model) {
        this.spec = model.superResolution().orElseThrow(() -> new IllegalArgumentException("model "
                + model.identity().reference() + " is not a super-resolution stage (its card has no super_resolution section)"));
        if (!model.codec().pixelSpace()) {
            throw new IllegalArgumentException("super-resolution stage " + model.identity() + " must sample in pixel space");
        }
        this.model = model;
        this.schedule = NoiseSchedule.of(model.schedulerConfig());
    }

    public int inputSize() {
        return spec.inputSize();
    }

    public int outputSize() {
        return spec.outputSize();
    }

    public DiffusionModel model() {
        return model;
    }

    public StageSettings defaults(InputOrigin origin) {
        return StageSettings.defaults(model, origin);
    }

    /**
     * @param lowRes  NHWC images of side {@link #inputSize()} in [-1, 1], one per prompt
     * @param prompts the captions (used by text-conditioned stages only)
     * @return NHWC images of side {@link #outputSize()}, clamped to [-1, 1]
     */
    public float[] upscale(float[] lowRes, List<String> prompts, String negativePrompt, StageSettings settings,
            long seed, int firstIndex, StepListener listener) {
        int n = prompts.size();
        int in = spec.inputSize();
        int out = spec.outputSize();
        if (lowRes.length != n * in * in * 3) {
            throw new IllegalArgumentException("expected " + n + " images of " + in + "x" + in + "x3 (" + n * in * in * 3
                    + " floats), got " + lowRes.length);
        }
        if (settings.augLevel() > spec.maxAugLevel()) {
            throw new IllegalArgumentException("augmentation level " + settings.augLevel() + " is above the "
                    + spec.maxAugLevel() + " that " + model.identity().name() + " was trained with");
        }
        if (!model.textConditioned() && settings.guidance().scale() != 1) {
            throw new IllegalArgumentException("stage " + model.identity().name() + " is not text-conditioned: guidance "
                    + "scale must be 1, got " + settings.guidance().scale());
        }
        PhiloxNoise noise = PhiloxNoise.forImages(seed, firstIndex, n);
        int[] levels = new int[n];
        Arrays.fill(levels, settings.augLevel());
        float[] lowResInput = LowResConditioning.prepare(lowRes, n, in, out, noise.nextGaussian(lowRes.length),
                levels, schedule);
        float[] levelValues = new float[n];
        Arrays.fill(levelValues, settings.augLevel());
        Tensor lowResTensor = Tensor.of(lowResInput, n, out, out, 3);
        Tensor levelTensor = Tensor.of(levelValues, n);
        Conditioning conditional = withLowRes(model.prompts().encode(prompts), lowResTensor, levelTensor);
        StepModel stepModel = model.textConditioned()
                ? new ClassifierFreeGuidance(model.denoiser(), conditional,
                        withLowRes(model.prompts().encode(Collections.nCopies(n, negativePrompt)), lowResTensor, levelTensor),
                        settings.guidance())
                : StepModel.of(model.denoiser(), conditional);
        Scheduler scheduler = SchedulerConfigs.create(
                settings.sampler().configFor(model.schedulerConfig(), settings.schedulerSettings()));
        float[] residual = TextToImage.sample(scheduler, stepModel, settings.steps(), new int[] {n, out, out, 3}, noise,
                listener).data();
        float[] images = LowResConditioning.upsampled(lowRes, n, in, out);
        float unscale = (float) (1 / spec.residualScale());
        for (int i = 0; i < images.length; i++) {
            images[i] = Math.max(-1f, Math.min(1f, images[i] + residual[i] * unscale));
        }
        return images;
    }

    private static Conditioning withLowRes(Conditioning conditioning, Tensor lowRes, Tensor level) {
        return conditioning.with(ModelInputs.LOW_RES, lowRes).with(ModelInputs.AUG_LEVEL, level);
    }
}
