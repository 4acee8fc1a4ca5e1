package io.stipple.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Copies whole folders to and from key prefixes (model versions are folders: SavedModel, card, curves). */
public final class ObjectTrees {

    private ObjectTrees() {
    }

    /**
     * Uploads every file under {@code folder} to {@code prefix + relative path}, in path order;
     * returns the keys written with their sizes.
     */
    public static List<ObjectInfo> upload(ObjectStore store, Path folder, String prefix) throws IOException {
        List<ObjectInfo> written = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                String key = prefix + folder.relativize(file).toString().replace('\\', '/');
                long size = Files.size(file);
                try (InputStream in = Files.newInputStream(file)) {
                    store.put(key, in, size, "application/octet-stream");
                }
                written.add(new ObjectInfo(key, size, null, null));
            }
        }
        return written;
    }

    /**
     * Downloads every object under {@code prefix} into {@code folder} (keys relative to the prefix);
     * false when there is none. A key that would leave the folder is refused.
     */
    public static boolean download(ObjectStore store, String prefix, Path folder) throws IOException {
        List<ObjectInfo> objects = store.list(prefix);
        download(store, prefix, objects, folder);
        return !objects.isEmpty();
    }

    /**
     * Downloads {@code objects}, already listed under {@code prefix}, into {@code folder} (keys
     * relative to the prefix), for a caller that listed them to decide where to look. A key that
     * would leave the folder is refused.
     */
    public static void download(ObjectStore store, String prefix, List<ObjectInfo> objects, Path folder)
            throws IOException {
        for (ObjectInfo object : objects) {
            Path target = folder.resolve(object.key().substring(prefix.length())).normalize();
            if (!target.startsWith(folder.normalize())) {
                throw new IOException("object key " + object.key() + " leaves " + folder);
            }
            Files.createDirectories(target.getParent());
            try (InputStream in = store.open(object.key())) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
