package io.stipple.engine.families;

import io.stipple.engine.export.ModelCard;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.model.ModelFamily;
import io.stipple.engine.model.UnsupportedModelFamilyException;
import io.stipple.engine.export.ModelCards;
import io.stipple.engine.weights.ModelFormatException;
import io.stipple.engine.export.StippleModel;
import io.stipple.engine.sd.SingleFileOptions;
import io.stipple.engine.sd.StableDiffusionModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.tensorflow.proto.ConfigProto;

/**
 * The loader of every model family: recognises a model folder by the file that names its layout
 * and opens it with that family's implementation. Callers hold the result as a {@link DiffusionModel}.
 */
public final class DiffusionModels {

    /** The file at the root of a diffusers pipeline folder. */
    public static final String DIFFUSERS_INDEX = StableDiffusionModel.DIFFUSERS_INDEX;

    private DiffusionModels() {
    }

    /** The extension of a single-file checkpoint (pickled {@code .ckpt} files are not read). */
    public static final String SINGLE_FILE_EXTENSION = ".safetensors";

    /** Whether {@code path} is a single-file Stable Diffusion checkpoint rather than a model folder. */
    public static boolean isSingleFile(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().endsWith(SINGLE_FILE_EXTENSION);
    }

    /**
     * Which family the folder (or single {@code .safetensors} checkpoint) holds, by its marker file;
     * fails naming the folder when it holds none.
     */
    public static ModelFamily familyOf(Path modelDir) {
        if (isSingleFile(modelDir)) {
            return ModelFamily.STABLE_DIFFUSION;
        }
        if (Files.isRegularFile(modelDir.resolve(ModelCards.FILE_NAME))) {
            return ModelFamily.STIPPLE;
        }
        if (Files.isRegularFile(modelDir.resolve(DIFFUSERS_INDEX))) {
            return ModelFamily.STABLE_DIFFUSION;
        }
        throw new ModelFormatException(modelDir + " is no model folder: it has neither " + ModelCards.FILE_NAME
                + " (a Stipple model) nor " + DIFFUSERS_INDEX + " (a diffusers pipeline), and is no " + SINGLE_FILE_EXTENSION
                + " single-file checkpoint");
    }

    /** Opens a complete model (not a LoRA version: see {@link #open(Path, Path)}) with TensorFlow's default threads. */
    public static DiffusionModel open(Path modelDir) throws IOException {
        return open(modelDir, (ConfigProto) null);
    }

    /**
     * A single file is opened with Stable Diffusion's defaults for what it cannot say and the
     * tokenizer folder beside it ({@link SingleFileOptions#beside}); state them with
     * {@link StableDiffusionModel#loadSingleFile} otherwise.
     *
     * @param sessionConfig TensorFlow session settings ({@code nn.Sessions#config}); null for the defaults
     */
    public static DiffusionModel open(Path modelDir, ConfigProto sessionConfig) throws IOException {
        return switch (familyOf(modelDir)) {
            case STIPPLE -> StippleModel.load(modelDir, sessionConfig);
            case STABLE_DIFFUSION -> openStableDiffusion(modelDir, sessionConfig);
        };
    }

    private static DiffusionModel openStableDiffusion(Path path, ConfigProto sessionConfig) throws IOException {
        return isSingleFile(path) ? StableDiffusionModel.loadSingleFile(path, SingleFileOptions.beside(path), sessionConfig)
                : StableDiffusionModel.load(path, sessionConfig);
    }

    /** Opens any model folder, a LoRA version over its base {@code modelsRoot/<name>/<version>} included (Stipple only). */
    public static DiffusionModel open(Path modelDir, Path modelsRoot) throws IOException {
        return switch (familyOf(modelDir)) {
            case STIPPLE -> StippleModel.open(modelDir, modelsRoot);
            case STABLE_DIFFUSION -> openStableDiffusion(modelDir, null);
        };
    }

    /** For a LoRA version: the {@code name@version} of the base it adapts; empty for a complete model. */
    public static Optional<String> adaptedBase(Path modelDir) throws IOException {
        if (familyOf(modelDir) != ModelFamily.STIPPLE) {
            return Optional.empty();
        }
        ModelCard.FineTune fineTune = ModelCards.read(modelDir).fineTune();
        return fineTune != null && fineTune.isLora() ? Optional.of(fineTune.baseModel()) : Optional.empty();
    }

    /**
     * The LoRA version in {@code loraDir} applied over its loaded {@code base}, sharing the base's
     * weights; the caller keeps the base open while the result is in use (StippleModel.withAdapters).
     */
    public static DiffusionModel withAdapters(DiffusionModel base, Path loraDir) throws IOException {
        if (!(base instanceof StippleModel stipple)) {
            throw new UnsupportedModelFamilyException("LoRA version " + loraDir + " adapts " + base.identity()
                    + ", a " + base.identity().family() + " model; only Stipple models take LoRA versions yet");
        }
        return StippleModel.withAdapters(stipple, loraDir);
    }

}
