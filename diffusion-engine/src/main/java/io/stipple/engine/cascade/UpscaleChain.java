package io.stipple.engine.cascade;

import io.stipple.engine.model.DiffusionModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Super-resolution stages run one after the other, each stage's output the next one's input
 * (16 -> 32 -> 64). Stage {@code k} (1-based) samples image {@code i} from the Philox stream
 * ({@link #stageSeed}(seed, k), i): independent of the base model's stream (seed, i) and of
 * every other stage's, and like them independent of the batch an image is sampled in. The chain
 * knows whether its inputs are generated or real ({@link InputOrigin}): that picks each stage's
 * default augmentation level when the caller gives no settings.
 */
public final class UpscaleChain {

    /** Golden-ratio increment: distinct Philox keys per stage for one request seed. */
    private static final long STAGE_SEED_STEP = 0x9E3779B97F4A7C15L;

    private final List<SuperResolutionStage> stages;
    private final InputOrigin origin;

    /** @param origin whether the images this chain is given were sampled by a base model or are real */
    public UpscaleChain(List<? extends DiffusionModel> stageModels, InputOrigin origin) {
        if (origin == null) {
            throw new IllegalArgumentException("say whether the chain's inputs are generated or real");
        }
        this.origin = origin;
        if (stageModels.isEmpty()) {
            throw new IllegalArgumentException("an upscale chain needs at least one super-resolution stage");
        }
        List<SuperResolutionStage> built = new ArrayList<>();
        for (DiffusionModel model : stageModels) {
            SuperResolutionStage stage = new SuperResolutionStage(model);
            if (!built.isEmpty() && built.get(built.size() - 1).outputSize() != stage.inputSize()) {
                throw new IllegalArgumentException("stage " + model.identity().name() + " takes " + stage.inputSize()
                        + "x" + stage.inputSize() + " images but the stage before it makes "
                        + built.get(built.size() - 1).outputSize());
            }
            built.add(stage);
        }
        this.stages = List.copyOf(built);
    }

    public static long stageSeed(long seed, int stageNumber) {
        return seed + stageNumber * STAGE_SEED_STEP;
    }

    /** Progress name of stage {@code k} (1-based): its output's factor over the chain's input, e.g. upscale_x4. */
    public String stageName(int stageNumber) {
        return "upscale_x" + stages.get(stageNumber - 1).outputSize() / inputSize();
    }

    public int inputSize() {
        return stages.get(0).inputSize();
    }

    public int outputSize() {
        return stages.get(stages.size() - 1).outputSize();
    }

    public List<SuperResolutionStage> stages() {
        return stages;
    }

    public InputOrigin origin() {
        return origin;
    }

    /** Each stage's model card defaults, with the augmentation level for this chain's input origin. */
    public List<StageSettings> defaults() {
        return stages.stream().map(stage -> stage.defaults(origin)).toList();
    }

    /**
     * @param images  NHWC images of side {@link #inputSize()}, one per prompt
     * @param settings one per stage, or null for {@link #defaults()}
     * @return NHWC images of side {@link #outputSize()}
     */
    public float[] upscale(float[] images, List<String> prompts, String negativePrompt, List<StageSettings> settings,
            long seed, int firstIndex, CascadeListener listener) {
        List<StageSettings> resolved = resolve(settings);
        float[] current = images;
        for (int k = 1; k <= stages.size(); k++) {
            current = stages.get(k - 1).upscale(current, prompts, negativePrompt, resolved.get(k - 1),
                    stageSeed(seed, k), firstIndex, listener.stage(stageName(k)));
        }
        return current;
    }

    /** The settings to use: {@code settings} checked against the stage count, or the defaults. */
    public List<StageSettings> resolve(List<StageSettings> settings) {
        if (settings == null) {
            return defaults();
        }
        if (settings.size() != stages.size()) {
            throw new IllegalArgumentException(stages.size() + " stages but settings for " + settings.size());
        }
        return settings;
    }

    /** What each stage did, for a PNG's generation parameters: stage{k}_model, _sampler, _steps, _guidance, _aug_level. */
    public Map<String, String> describe(List<StageSettings> settings) {
        List<StageSettings> resolved = resolve(settings);
        Map<String, String> out = new LinkedHashMap<>();
        for (int k = 1; k <= stages.size(); k++) {
            StageSettings s = resolved.get(k - 1);
            String prefix = "stage" + k + "_";
            out.put(prefix + "model", stages.get(k - 1).model().identity().reference());
            out.put(prefix + "sampler", s.sampler().wireName());
            out.put(prefix + "steps", Integer.toString(s.steps()));
            out.put(prefix + "guidance", Double.toString(s.guidance().scale()));
            out.put(prefix + "aug_level", Integer.toString(s.augLevel()));
            s.schedulerSettings().forEach((key, value) -> out.put(prefix + key, String.valueOf(value)));
        }
        return out;
    }
}
