package io.stipple.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a model version's folder is on local disk, for every service that loads models:
 * <ol>
 *   <li>a finished download in {@code downloadDir/{model}/{version}} (a marker file completes a
 *       download, so a half one is redone). Versions are immutable, so a finished copy never goes
 *       stale and is used without asking the store;</li>
 *   <li>else the object store's {@code models/{model}/{version}/}, downloaded there;</li>
 *   <li>else the bundled models folder {@code bundledDir/{model}/{version}}.</li>
 * </ol>
 * The store comes before the bundled folder so that a version registered in the store is what
 * every service runs, whatever the image bundles.
 */
public final class ModelVersionFolders {

    static final String COMPLETE_MARKER = ".complete";

    private final ObjectStore store;
    private final Path downloadDir;
    private final Path bundledDir;

    public ModelVersionFolders(ObjectStore store, Path downloadDir, Path bundledDir) {
        this.store = store;
        this.downloadDir = downloadDir;
        this.bundledDir = bundledDir;
    }

    /**
     * The version's folder, or empty when neither the store nor the bundled folder has it.
     * Blocking (lists and downloads). Synchronized so that two loads of one version cannot
     * download into the same folder at once, one reading files the other is rewriting.
     *
     * @throws ObjectStoreException when the store cannot be listed
     * @throws IOException when the version is in the store but its download failed
     */
    public synchronized Optional<Path> locate(String model, String version) throws IOException {
        Path downloaded = downloadDir.resolve(model).resolve(version);
        if (Files.exists(downloaded.resolve(COMPLETE_MARKER))) {
            return Optional.of(downloaded);
        }
        String prefix = ObjectKeys.modelPrefix(model, version);
        List<ObjectInfo> objects = store.list(prefix);
        if (!objects.isEmpty()) {
            download(prefix, objects, downloaded);
            return Optional.of(downloaded);
        }
        Path bundled = bundledDir.resolve(model).resolve(version);
        return Files.isDirectory(bundled) ? Optional.of(bundled) : Optional.empty();
    }

    /** Where {@link #locate} looks, for messages that say why a version was not found. */
    public String describe(String model, String version) {
        return "object store " + ObjectKeys.modelPrefix(model, version) + ", bundled folder "
                + bundledDir.resolve(model).resolve(version).toAbsolutePath();
    }

    private void download(String prefix, List<ObjectInfo> objects, Path folder) throws IOException {
        try {
            ObjectTrees.download(store, prefix, objects, folder);
        } catch (ObjectStoreException e) {
            throw new IOException("downloading " + prefix + " failed: " + e.getMessage(), e);
        }
        Files.createFile(folder.resolve(COMPLETE_MARKER));
    }
}
