package io.stipple.engine.export;

import io.stipple.engine.training.TrainingRun;
import io.stipple.engine.unet.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.tensorflow.Tensor;

/**
 * Writes a complete model folder: {@code saved_model/}, {@code model_card.json}, and the training
 * run's {@code loss.csv} and {@code loss.png}. Layout in docs/model-format.md.
 */
public final class ModelFolder {

    public static final String SCHEDULER_CONFIG = "scheduler_config.json";

    private ModelFolder() {
    }

    public static void write(Path modelDir, ModelConfig config, Map<String, ? extends Tensor> weights, ModelCard card,
            Path trainingWorkDir) throws IOException {
        if (Files.exists(modelDir.resolve(StippleModel.SAVED_MODEL_DIR))) {
            throw new IOException(modelDir + " already holds a model; versions are immutable, use a new version folder");
        }
        Files.createDirectories(modelDir);
        ModelExporter.export(config, weights, modelDir.resolve(StippleModel.SAVED_MODEL_DIR));
        writeCardAndCurves(modelDir, card, trainingWorkDir);
    }

    /**
     * Writes a LoRA version: only the adapter weights ({@code adapters.safetensors}) and a card whose
     * {@code fine_tune} names the base they apply to; the base's weights are not copied.
     */
    public static void writeAdapters(Path modelDir, Map<String, ? extends Tensor> adapterWeights, ModelCard card,
            Path trainingWorkDir) throws IOException {
        if (card.fineTune() == null || !card.fineTune().isLora()) {
            throw new IllegalArgumentException("a LoRA version's card needs fine_tune.method lora");
        }
        if (Files.exists(modelDir.resolve(StippleModel.ADAPTERS_FILE))) {
            throw new IOException(modelDir + " already holds a model; versions are immutable, use a new version folder");
        }
        Files.createDirectories(modelDir);
        SafeTensors.write(modelDir.resolve(StippleModel.ADAPTERS_FILE), adapterWeights);
        writeCardAndCurves(modelDir, card, trainingWorkDir);
    }

    private static void writeCardAndCurves(Path modelDir, ModelCard card, Path trainingWorkDir) throws IOException {
        ModelCards.write(card, modelDir);
        // diffusers' file name too, for tools that take a scheduler config file (e.g. train-classifier).
        Files.writeString(modelDir.resolve(SCHEDULER_CONFIG), card.scheduler().toPrettyString());
        for (String file : new String[] {TrainingRun.LOSS_CSV, TrainingRun.LOSS_PNG}) {
            Path source = trainingWorkDir.resolve(file);
            if (Files.exists(source)) {
                Files.copy(source, modelDir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
