package io.stipple.trainer.imports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder's content hash: SHA-256 over every file's relative path, size and bytes, in path order,
 * so equal folders hash equal wherever they were unpacked and whatever order the archive had.
 */
public final class ContentHash {

    private ContentHash() {
    }

    public record Summary(String sha256, long bytes, List<Path> files) {
    }

    public static Summary of(Path folder) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).map(folder::relativize)
                    .sorted((a, b) -> slashed(a).compareTo(slashed(b))).toList();
        }
        MessageDigest digest = sha256();
        long total = 0;
        byte[] buffer = new byte[1 << 16];
        for (Path file : files) {
            long size = Files.size(folder.resolve(file));
            digest.update((slashed(file) + "\0" + size + "\0").getBytes(StandardCharsets.UTF_8));
            try (InputStream in = Files.newInputStream(folder.resolve(file))) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                }
            }
            total += size;
        }
        return new Summary(HexFormat.of().formatHex(digest.digest()), total, files);
    }

    private static String slashed(Path relative) {
        return relative.toString().replace('\\', '/');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
