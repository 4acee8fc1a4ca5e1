package io.stipple.worker.model;

import io.stipple.contracts.spec.ModelRef;
import io.stipple.storage.ModelVersionFolders;
import io.stipple.storage.ObjectStore;
import io.stipple.storage.ObjectStoreException;
import io.stipple.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a model version's folder is on local disk ({@link ModelVersionFolders}: a finished download
 * in the cache folder, else the object store, else the bundled models folder), for base models,
 * LoRA versions and the guidance classifier alike. A version found nowhere is a
 * {@link ModelUnavailableException} (the job cannot succeed); a store that cannot be listed, or a
 * download that broke off, is a {@link ModelDownloadException} (the job may pass on another attempt,
 * as the trainer's base-model downloads do).
 */
@ApplicationScoped
public class ModelFolders {

    private final ModelVersionFolders folders;

    ModelFolders(ObjectStore store, WorkerConfig config) {
        this.folders = new ModelVersionFolders(store, config.cacheDir(), config.bundledModelsDir());
    }

    /** The version's folder; blocking (lists and downloads). */
    public Path locate(ModelRef ref) {
        try {
            return folders.locate(ref.name(), ref.version()).orElseThrow(() -> new ModelUnavailableException(
                    "unknown model " + ref + ": not in " + folders.describe(ref.name(), ref.version()), null));
        } catch (ObjectStoreException e) {
            throw new ModelDownloadException("model " + ref + ": the object store could not be listed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelDownloadException("model " + ref + " could not be downloaded: " + e.getMessage(), e);
        }
    }
}
