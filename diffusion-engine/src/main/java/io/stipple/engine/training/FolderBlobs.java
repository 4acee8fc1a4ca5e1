package io.stipple.engine.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** {@link Blobs} in a local folder (the engine CLI and tests; the services use the object store). */
public final class FolderBlobs implements Blobs {

    private final Path root;

    public FolderBlobs(Path root) {
        this.root = root;
    }

    @Override
    public void put(String key, Path file) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        // Copy then rename: a reader never sees half a blob.
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public boolean get(String key, Path target) throws IOException {
        Path source = resolve(key);
        if (!Files.isRegularFile(source)) {
            return false;
        }
        if (target.getParent() != null) {
            Files.createDirectories(target.getParent());
        }
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        return true;
    }

    @Override
    public void delete(String key) throws IOException {
        Path file = resolve(key);
        Files.deleteIfExists(file);
        // Keys are flat names; folders exist only to hold them, so drop the ones left empty.
        for (Path dir = file.getParent(); dir != null && !dir.equals(root.normalize()) && isEmptyDirectory(dir);
                dir = dir.getParent()) {
            Files.delete(dir);
        }
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private Path resolve(String key) throws IOException {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root.normalize())) {
            throw new IOException("blob key " + key + " leaves " + root);
        }
        return path;
    }
}
