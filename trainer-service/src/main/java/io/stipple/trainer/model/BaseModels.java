package io.stipple.trainer.model;

import io.stipple.contracts.model.ImportRecords;
import io.stipple.contracts.model.ImportedModel;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.engine.export.ModelCards;
import io.stipple.engine.export.StippleModel;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.model.ModelFamily;
import io.stipple.engine.weights.ModelFormatException;
import io.stipple.storage.ModelVersionFolders;
import io.stipple.storage.ObjectStore;
import io.stipple.trainer.config.TrainerConfig;
import io.stipple.trainer.job.FineTuneRejected;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the base model of a fine-tune in the folder {@link ModelVersionFolders} gives (a finished
 * download in the work folder, else the object store, else the bundled models folder) and checks that
 * it can be fine-tuned: a Stipple model, or a Stable Diffusion pipeline imported as a diffusers folder.
 * An unknown base, a LoRA version or a single-file import rejects the job; a failed download does not
 * (it may pass on another attempt).
 */
@ApplicationScoped
public class BaseModels {

    private final ModelVersionFolders folders;

    BaseModels(ObjectStore store, TrainerConfig config) {
        this.folders = new ModelVersionFolders(store, config.workDir().resolve("models"), config.bundledModelsDir());
    }

    /** The base's folder and family, refusing what cannot be fine-tuned. */
    public BaseModel find(ModelRef ref) {
        Path folder = locate(ref);
        try {
            Optional<ImportedModel> record = ImportRecords.read(folder);
            if (record.isPresent()) {
                refuseImport(ref, record.get());
            }
            ModelFamily family = DiffusionModels.familyOf(folder);
            if (family == ModelFamily.STIPPLE) {
                var card = ModelCards.read(folder);
                if (card.fineTune() != null && card.fineTune().isLora()) {
                    throw new FineTuneRejected("base model " + ref + " is a LoRA version; fine-tune its base "
                            + card.fineTune().baseModel() + " instead");
                }
            }
            return new BaseModel(ref, folder, family, record.map(ImportedModel::variant).orElse(null));
        } catch (ModelFormatException e) {
            throw new FineTuneRejected("base model " + ref + " cannot be fine-tuned: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("base model " + ref + " cannot be read", e);
        }
    }

    /** A Stipple base, loaded; the caller closes it. */
    public StippleModel loadStipple(BaseModel base) {
        try {
            return StippleModel.load(base.folder());
        } catch (IOException e) {
            throw new UncheckedIOException("base model " + base.ref() + " cannot be read", e);
        }
    }

    /** What an import record says cannot be a base: the LoRA files, and single files (no diffusers unet/ folder to train over). */
    private static void refuseImport(ModelRef ref, ImportedModel record) {
        switch (record.format()) {
            case "lora" -> throw new FineTuneRejected("base model " + ref + " is a LoRA version; fine-tune its base "
                    + record.baseModel() + " instead");
            case "single_file" -> throw new FineTuneRejected("base model " + ref + " is a single-file import; fine-tuning"
                    + " needs a Stable Diffusion base imported as a diffusers folder (format diffusers)");
            default -> {
            }
        }
    }

    private Path locate(ModelRef ref) {
        try {
            return folders.locate(ref.name(), ref.version()).orElseThrow(() -> new FineTuneRejected(
                    "unknown base model " + ref + ": not in " + folders.describe(ref.name(), ref.version())));
        } catch (IOException e) {
            throw new UncheckedIOException("downloading base model " + ref + " failed", e);
        }
    }
}
