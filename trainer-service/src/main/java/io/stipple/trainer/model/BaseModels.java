package io.stipple.trainer.model;

import io.stipple.contracts.spec.ModelRef;
import io.stipple.engine.export.ModelCards;
import io.stipple.engine.export.StippleModel;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import io.stipple.storage.ObjectTrees;
import io.stipple.trainer.config.TrainerConfig;
import io.stipple.trainer.job.FineTuneRejected;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the base model of a fine-tune: the object store's {@code models/{name}/{version}/}
 * (downloaded once into the work folder; a marker file completes a download, so a half one is
 * redone), else the bundled models folder. An unknown base, or a LoRA version as base, rejects the job.
 */
@ApplicationScoped
public class BaseModels {

    private static final String COMPLETE = ".complete";

    private final ObjectStore store;
    private final TrainerConfig config;

    BaseModels(ObjectStore store, TrainerConfig config) {
        this.store = store;
        this.config = config;
    }

    /** The loaded base; the caller closes it. */
    public StippleModel load(ModelRef ref) {
        Path folder = locate(ref);
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
        Path downloaded = config.workDir().resolve("models").resolve(ref.name()).resolve(ref.version());
        if (Files.exists(downloaded.resolve(COMPLETE))) {
            return downloaded;
        }
        try {
            if (ObjectTrees.download(store, ObjectKeys.modelPrefix(ref.name(), ref.version()), downloaded)) {
                Files.createFile(downloaded.resolve(COMPLETE));
                return downloaded;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("downloading base model " + ref + " failed", e);
        }
        Path bundled = config.bundledModelsDir().resolve(ref.name()).resolve(ref.version());
        if (Files.isDirectory(bundled)) {
            return bundled;
        }
        throw new FineTuneRejected("unknown base model " + ref + ": not in the object store and not bundled");
    }
}
