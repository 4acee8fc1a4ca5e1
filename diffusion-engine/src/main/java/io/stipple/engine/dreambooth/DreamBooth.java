package io.stipple.engine.dreambooth;

import io.stipple.engine.export.ModelCard;
import io.stipple.engine.export.StippleModel;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.training.CheckpointStore;
import io.stipple.engine.training.DiffusionTrainer;
import io.stipple.engine.training.FineTuning;
import io.stipple.engine.training.StepResult;
import io.stipple.engine.training.TrainerConfig;
import io.stipple.engine.training.TrainingRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.tensorflow.types.TFloat32;

/**
 * A DreamBooth fine-tune of a loaded base model: class images (cached), then training on instance
 * and class images with the prior-preservation loss through the base model's own training
 * scheduler ({@code addNoise} and target by its {@code prediction_type}, exactly as base training),
 * full or LoRA. Checkpoints go to the work directory and to a {@link CheckpointStore}; a run
 * started again with the same inputs resumes from the latest checkpoint and finishes with the
 * same weights as an uninterrupted run.
 */
public final class DreamBooth {

    /** Caption dropout during fine-tuning: none, as diffusers' DreamBooth script (the base keeps its unconditional). */
    private static final float CAPTION_DROPOUT = 0f;

    private final ClassImages classImages;
    private final CheckpointStore checkpoints;
    private final PrintStream log;

    public DreamBooth(ClassImages classImages, CheckpointStore checkpoints, PrintStream log) {
        this.classImages = classImages;
        this.checkpoints = checkpoints;
        this.log = log;
    }

    /** What a run reports while it goes. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void classImages(int done, int total) {
        }

        default void step(StepResult result, long totalSteps) {
        }
    }

    /**
     * Runs (or resumes) the fine-tune.
     *
     * @param instances instance images, NHWC at the base model's resolution, in [-1, 1]
     * @param cancelled checked between steps; the run stops with a CancellationException
     */
    public TunedModel train(StippleModel base, DreamBoothConfig config, float[] instances, int instanceCount,
            Path workDir, Listener listener, BooleanSupplier cancelled) throws IOException, InterruptedException {
        ModelCard card = base.card();
        int[] shape = base.denoiser().sampleShape();
        int stride = shape[0] * shape[1] * shape[2];
        float[] classSet = new float[0];
        if (config.priorPreservation()) {
            classSet = classImages.obtain(base, config.classPrompt(), config.numClassImages(), config.classImages(),
                    workDir.resolve("class-images"), listener::classImages);
        }
        DreamBoothData data = new DreamBoothData(instances, instanceCount, classSet,
                config.priorPreservation() ? config.numClassImages() : 0, stride, config);
        FineTuning fineTuning = config.method() == DreamBoothConfig.Method.LORA
                ? FineTuning.lora(config.loraRank(), config.trainTextEncoder())
                : config.trainTextEncoder() ? FineTuning.FULL : FineTuning.unetOnly();
        TrainerConfig trainerConfig = new TrainerConfig(config.learningRate(), 0, 0.9f, 0.999f, 1e-8f,
                DreamBoothConfig.CLIP_NORM, DreamBoothConfig.EMA_DECAY);
        long started = System.nanoTime();
        DiffusionTrainer trainer = new DiffusionTrainer(card.architecture(), base.tokenizer(),
                SchedulerConfigs.create(base.schedulerConfig()), trainerConfig, config.seed(), CAPTION_DROPOUT,
                fineTuning);
        try {
            Map<String, TFloat32> baseWeights = base.weights();
            TrainingRun.Summary summary;
            try {
                summary = new TrainingRun(trainer, data, workDir, config.checkpointEvery(), log)
                        .startingFrom(baseWeights)
                        .onStep(listener::step)
                        .cancelWhen(cancelled)
                        .checkpointsTo(checkpoints)
                        .run(config.steps(), "DreamBooth " + config.instancePrompt() + " (" + config.method().wireName() + ")");
            } finally {
                baseWeights.values().forEach(TFloat32::close);
            }
            return new TunedModel(card, config, trainer, summary, instanceCount, workDir,
                    (System.nanoTime() - started) / 1e9);
        } catch (IOException | InterruptedException | RuntimeException e) {
            trainer.close();
            throw e;
        }
    }
}
