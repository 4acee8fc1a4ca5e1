package io.stipple.engine.dreambooth;

import io.stipple.engine.export.ModelCard;
import io.stipple.engine.export.ModelFolder;
import io.stipple.engine.nn.LowRankAdapters;
import io.stipple.engine.training.DiffusionTrainer;
import io.stipple.engine.training.TrainingRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.types.TFloat32;

/** A finished DreamBooth run, ready to export as a model version; closes its trainer. */
public final class TunedModel implements AutoCloseable {

    private final ModelCard base;
    private final DreamBoothConfig config;
    private final DiffusionTrainer trainer;
    private final TrainingRun.Summary summary;
    private final int instanceCount;
    private final Path workDir;
    private final double seconds;

    TunedModel(ModelCard base, DreamBoothConfig config, DiffusionTrainer trainer, TrainingRun.Summary summary,
            int instanceCount, Path workDir, double seconds) {
        this.base = base;
        this.config = config;
        this.trainer = trainer;
        this.summary = summary;
        this.instanceCount = instanceCount;
        this.workDir = workDir;
        this.seconds = seconds;
    }

    /**
     * Writes the version folder: a complete SavedModel for full fine-tunes, the adapter weights plus
     * the base's reference for LoRA; the card carries the run's settings, loss curve and metrics.
     *
     * @param command how the run was started, recorded in the card
     */
    public void export(Path modelDir, String name, String version, String command, Map<String, Object> metrics)
            throws IOException {
        Map<String, TFloat32> weights = trainer.averagedWeights();
        try {
            ModelCard card = card(name, version, command, metrics);
            if (config.method() == DreamBoothConfig.Method.LORA) {
                Map<String, TFloat32> adapters = new LinkedHashMap<>();
                weights.forEach((key, value) -> {
                    if (LowRankAdapters.isAdapterWeight(key)) {
                        adapters.put(key, value);
                    }
                });
                ModelFolder.writeAdapters(modelDir, adapters, card, workDir);
            } else {
                ModelFolder.write(modelDir, base.architecture(), weights, card, workDir);
            }
        } finally {
            weights.values().forEach(TFloat32::close);
        }
    }

    private ModelCard card(String name, String version, String command, Map<String, Object> extraMetrics) {
        String baseRef = base.name() + "@" + base.version();
        ModelCard.LoraSpec lora = null;
        if (config.method() == DreamBoothConfig.Method.LORA) {
            LowRankAdapters adapters = LowRankAdapters.attention(config.loraRank(), config.trainTextEncoder());
            lora = new ModelCard.LoraSpec(adapters.rank(), adapters.alpha(), adapters.target().pattern());
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("final_loss", summary.finalLoss());
        metrics.put("training_seconds", seconds);
        metrics.put("seconds_per_step", summary.secondsPerStep());
        metrics.put("trainable_parameters", trainer.trainableParameterCount());
        metrics.putAll(extraMetrics);
        return new ModelCard(ModelCard.FORMAT, name, version,
                "DreamBooth fine-tune of " + baseRef + " on " + instanceCount + " instance images: \""
                        + config.instancePrompt() + "\" (" + config.method().wireName() + ")",
                base.architecture(), base.scheduler(), base.predictionType(), base.tokenizer(),
                new ModelCard.DataRecipe("dreambooth", instanceCount + " instance images"
                        + (config.priorPreservation() ? " + " + config.numClassImages() + " class images" : ""),
                        base.architecture().unet().imageSize(), 0f, base.data() == null ? null : base.data().vocabularySource()),
                new ModelCard.TrainingRecord(command, summary.steps(), config.batchSize(), config.seed(),
                        config.learningRate(), 0, DreamBoothConfig.EMA_DECAY, DreamBoothConfig.CLIP_NORM,
                        trainer.trainableParameterCount(), summary.finalLoss(),
                        summary.secondsPerStep() > 0 ? summary.secondsPerStep() : null),
                base.defaults(), metrics, null,
                new ModelCard.FineTune(baseRef, config.method().wireName(), lora, config.toMap()));
    }

    public TrainingRun.Summary summary() {
        return summary;
    }

    public double seconds() {
        return seconds;
    }

    /** The trained weights by name (EMA); the caller closes them. */
    public Map<String, TFloat32> weights() {
        return trainer.averagedWeights();
    }

    @Override
    public void close() {
        trainer.close();
    }
}
