package io.stipple.trainer.model;

import io.stipple.contracts.spec.ModelRef;
import io.stipple.engine.export.ModelCards;
import io.stipple.engine.export.StippleModel;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.model.ModelFamily;
import io.stipple.storage.ModelVersionFolders;
import io.stipple.storage.ObjectStore;
import io.stipple.trainer.config.TrainerConfig;
import io.stipple.trainer.job.FineTuneRejected;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Loads the base model of a fine-tune (a Stipple model: fine-tuning needs its weights, which the
 * other families do not offer yet) from the folder {@link ModelVersionFolders} finds (a finished
 * download in the work folder, else the object store, else the bundled models folder). An unknown
 * base, or a LoRA version as base, rejects the job; a failed download does not (it may pass on
 * another attempt).
 */
@ApplicationScoped
public class BaseModels {

    private final ModelVersionFolders folders;

    BaseModels(ObjectStore store, TrainerConfig config) {
        this.folders = new ModelVersionFolders(store, config.workDir().resolve("models"), config.bundledModelsDir());
    }

    /** The loaded base; the caller closes it. */
    public StippleModel load(ModelRef ref) {
        Path folder = locate(ref);
        ModelFamily family = DiffusionModels.familyOf(folder);
        if (family != ModelFamily.STIPPLE) {
            // DreamBooth trains the weights of Stipple's own U-Net and text encoder (StippleModel.weights).
            throw new FineTuneRejected("base model " + ref + " is a " + family + " model; the trainer fine-tunes"
                    + " Stipple models only");
        }
        try {
            var card = ModelCards.read(folder);
            if (card.fineTune() != null && card.fineTune().isLora()) {
                throw new FineTuneRejected("base model " + ref + " is a LoRA version; fine-tune its base "
                        + card.fineTune().baseModel() + " instead");
            }
            return StippleModel.load(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("base model " + ref + " cannot be read", e);
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
