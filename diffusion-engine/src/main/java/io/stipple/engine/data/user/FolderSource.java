package io.stipple.engine.data.user;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A dataset in a directory; symbolic links are not followed, so nothing outside it is read. */
final class FolderSource implements DatasetSource {

    private final Path root;
    private final int maxFiles;

    FolderSource(Path root, int maxFiles) {
        this.root = root.toAbsolutePath().normalize();
        this.maxFiles = maxFiles;
    }

    @Override
    public List<String> files() throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS))
                    .map(path -> root.relativize(path).toString().replace('\\', '/'))
                    .sorted()
                    .limit(maxFiles)
                    .toList();
        }
    }

    @Override
    public byte[] read(String file, long maxBytes) throws IOException {
        Path path = root.resolve(file).normalize();
        if (!path.startsWith(root) || Files.isSymbolicLink(path)) {
            throw new IOException("outside the dataset folder");
        }
        if (Files.size(path) > maxBytes) {
            throw new IOException("larger than " + maxBytes + " bytes");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return BoundedRead.readAtMost(in, maxBytes);
        }
    }

    @Override
    public void close() {
    }
}
