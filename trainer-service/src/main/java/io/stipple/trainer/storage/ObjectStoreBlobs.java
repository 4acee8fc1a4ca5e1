package io.stipple.trainer.storage;

import io.stipple.engine.training.Blobs;
import io.stipple.storage.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The engine's {@link Blobs} as objects under one key prefix (checkpoints of a job, the class-image cache). */
public final class ObjectStoreBlobs implements Blobs {

    private final ObjectStore store;
    private final String prefix;

    public ObjectStoreBlobs(ObjectStore store, String prefix) {
        this.store = store;
        this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
    }

    @Override
    public void put(String key, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            store.put(prefix + key, in, Files.size(file), "application/octet-stream");
        }
    }

    @Override
    public boolean get(String key, Path target) throws IOException {
        if (!store.exists(prefix + key)) {
            return false;
        }
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        try (InputStream in = store.open(prefix + key)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return true;
    }

    @Override
    public void delete(String key) {
        store.delete(prefix + key);
    }
}
