package io.stipple.trainer.imports;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds the archives the import tests upload: real folders packed as users pack them, and hostile ones. */
public final class Archives {

    private Archives() {
    }

    /** {@code folder} as a .tar.gz whose one top-level folder is {@code top} (what {@code tar -czf x.tgz top/} makes). */
    public static Path tarGz(Path folder, String top, Path target) throws IOException {
        try (OutputStream file = Files.newOutputStream(target);
                GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(file);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip);
                Stream<Path> walk = Files.walk(folder)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path path : walk.sorted().toList()) {
                String name = top + "/" + folder.relativize(path).toString().replace('\\', '/');
                if (Files.isDirectory(path)) {
                    tar.putArchiveEntry(new TarArchiveEntry(name.endsWith("/") ? name : name + "/"));
                    tar.closeArchiveEntry();
                    continue;
                }
                TarArchiveEntry entry = new TarArchiveEntry(path.toFile(), name);
                tar.putArchiveEntry(entry);
                Files.copy(path, tar);
                tar.closeArchiveEntry();
            }
        }
        return target;
    }

    /** A zip of the given entries: name and content (null content = a folder). */
    public static Path zip(Path target, List<Entry> entries) throws IOException {
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(target)) {
            for (Entry e : entries) {
                ZipArchiveEntry entry = new ZipArchiveEntry(e.name());
                if (e.symlink()) {
                    entry.setUnixMode(0120777);
                }
                zip.putArchiveEntry(entry);
                if (e.content() != null) {
                    zip.write(e.content());
                }
                zip.closeArchiveEntry();
            }
        }
        return target;
    }

    /** A tar holding one symbolic link {@code name -> linkTarget}. */
    public static Path tarWithSymlink(Path target, String name, String linkTarget) throws IOException {
        try (OutputStream file = Files.newOutputStream(target); TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            entry.setLinkName(linkTarget);
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
        }
        return target;
    }

    /** A zip of one entry of {@code bytes} zeros (compressed to about a thousandth: a small zip bomb). */
    public static Path zeros(Path target, String name, int bytes) throws IOException {
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(target)) {
            zip.putArchiveEntry(new ZipArchiveEntry(name));
            byte[] block = new byte[1 << 20];
            for (int left = bytes; left > 0; left -= block.length) {
                zip.write(block, 0, Math.min(left, block.length));
            }
            zip.closeArchiveEntry();
        }
        return target;
    }

    /** A zip entry; {@code content} null is a folder, {@code symlink} makes it a link to the content's text. */
    public record Entry(String name, byte[] content, boolean symlink) {
        public static Entry file(String name, String text) {
            return new Entry(name, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
        }

        public static Entry link(String name, String target) {
            return new Entry(name, target.getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
        }
    }
}
