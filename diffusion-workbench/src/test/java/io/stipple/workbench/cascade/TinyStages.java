package io.stipple.workbench.cascade;

import io.stipple.engine.export.ModelCard;
import io.stipple.engine.export.ModelFolder;
import io.stipple.engine.model.SuperResolutionSpec;
import io.stipple.engine.export.TinyModels;
import io.stipple.engine.schedulers.NoiseSchedule;
import io.stipple.engine.schedulers.SchedulerConfig;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.training.DiffusionTrainer;
import io.stipple.engine.training.TrainerConfig;
import io.stipple.engine.unet.ModelConfig;
import io.stipple.engine.unet.UNetConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.types.TFloat32;

/**
 * Tiny super-resolution stages for tests, trained for a few steps on procedural renders
 * ({@link SuperResolutionTrainingData}): workbench code, so they live here and not in the engine's
 * {@link TinyModels}.
 */
public final class TinyStages {

    /**
     * The tiny stages' {@code default_cascade_aug_level}: different from their {@code default_aug_level}
     * of 50, so a test can tell which one a run used.
     */
    public static final int TINY_CASCADE_AUG_LEVEL = 120;

    /** A super-resolution stage of {@code size} output, fully convolutional (trained on crops, run at any size). */
    public static ModelConfig superResolutionStage(int size) {
        return new ModelConfig(new UNetConfig(size, 3, 3, 8, List.of(1, 2), 1, List.of(), 1, 4, 0, true), null);
    }

    /**
     * Trains a tiny stage {@code inputSize -> outputSize} for a few steps on 8x8 crops (so its output
     * convolution is no longer zero and the output depends on {@code low_res}) and writes its folder.
     */
    public static void trainTinyStage(int inputSize, int outputSize, Path modelDir) throws IOException {
        SchedulerConfig schedulerConfig = TinyModels.scheduler();
        int crop = 8;
        try (DiffusionTrainer trainer = new DiffusionTrainer(superResolutionStage(crop), null,
                SchedulerConfigs.create(schedulerConfig), TrainerConfig.defaults(1e-2f), 5, 0f)) {
            var data = new SuperResolutionTrainingData(inputSize, outputSize, crop, 4, 300, 1f,
                    NoiseSchedule.of(schedulerConfig), 5);
            trainer.initialize();
            for (int step = 0; step < 3; step++) {
                trainer.train(data.batch(step));
            }
            Map<String, TFloat32> weights = trainer.averagedWeights();
            try {
                ModelConfig full = superResolutionStage(outputSize);
                ModelCard card = TinyModels.card(full, null);
                ModelFolder.write(modelDir, full, weights, new ModelCard(card.format(), "tiny-sr-" + outputSize, "1",
                        card.description(), full, card.scheduler(), card.predictionType(), null, card.data(),
                        card.training(), new ModelCard.SamplingDefaults("ddim", 3, 1f), card.metrics(),
                        new SuperResolutionSpec(inputSize, outputSize, SuperResolutionSpec.BICUBIC, SuperResolutionSpec.RESIDUAL, crop, 300, 50, TINY_CASCADE_AUG_LEVEL, 1.0, null)),
                        modelDir);
            } finally {
                weights.values().forEach(TFloat32::close);
            }
        }
    }

    private TinyStages() {
    }
}
