package io.stipple.worker.model;

import io.stipple.contracts.spec.ModelRef;
import io.stipple.storage.ObjectInfo;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import io.stipple.storage.ObjectTrees;
import io.stipple.worker.config.WorkerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Where a model version's folder is on local disk: downloaded from the object store
 * ({@code models/{name}/{version}/}, once into the cache folder, completed by a marker file so a
 * half download is redone), else the bundled models folder. Versions are immutable, so a cached
 * copy never goes stale. For base models, LoRA versions and the guidance classifier alike.
 */
@ApplicationScoped
public class ModelFolders {

    private static final Logger LOG = Logger.getLogger(ModelFolders.class);
    private static final String COMPLETE_MARKER = ".complete";

    private final ObjectStore store;
    private final WorkerConfig config;

    ModelFolders(ObjectStore store, WorkerConfig config) {
        this.store = store;
        this.config = config;
    }

    /** The version's folder; blocking (lists and downloads). */
    public Path locate(ModelRef ref) {
        String prefix = ObjectKeys.modelPrefix(ref.name(), ref.version());
        List<ObjectInfo> files = store.list(prefix);
        if (!files.isEmpty()) {
            return download(ref, prefix, files);
        }
        Path bundled = config.bundledModelsDir().resolve(ref.name()).resolve(ref.version());
        if (Files.isDirectory(bundled)) {
            return bundled;
        }
        throw new ModelUnavailableException("unknown model " + ref + ": nothing under " + prefix
                + " in the object store and no bundled folder " + bundled.toAbsolutePath(), null);
    }

    private Path download(ModelRef ref, String prefix, List<ObjectInfo> files) {
        Path folder = config.cacheDir().resolve(ref.name()).resolve(ref.version());
        if (Files.exists(folder.resolve(COMPLETE_MARKER))) {
            return folder;
        }
        try {
            ObjectTrees.download(store, prefix, files, folder);
            Files.createFile(folder.resolve(COMPLETE_MARKER));
            LOG.infof("downloaded model %s (%d files) into %s", ref, files.size(), folder);
            return folder;
        } catch (IOException | RuntimeException e) {
            throw new ModelUnavailableException("model " + ref + " could not be downloaded: " + e.getMessage(), e);
        }
    }
}
