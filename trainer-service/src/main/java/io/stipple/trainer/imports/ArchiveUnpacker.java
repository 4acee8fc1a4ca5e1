package io.stipple.trainer.imports;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveException;
import org.apache.commons.compress.archivers.ArchiveStreamFactory;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * Unpacks an uploaded tar, tar.gz or zip archive into an empty folder, trusting nothing in it:
 * only regular files and folders (no symbolic or hard links, devices or FIFOs), relative names that
 * stay inside the folder (no {@code ..}, no absolute or drive paths, no backslashes), no name twice,
 * at most {@code maxEntries} entries and {@code maxBytes} unpacked bytes, counted as bytes are
 * written rather than taken from the headers (a zip bomb declares small sizes).
 */
public final class ArchiveUnpacker {

    private final int maxEntries;
    private final long maxBytes;

    public ArchiveUnpacker(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** Unpacks {@code archive} into {@code target} (created); returns the unpacked bytes. */
    public long unpack(Path archive, Path target) throws IOException {
        Files.createDirectories(target);
        Written written = new Written(target);
        try {
            if (ArchiveStreamFactory.ZIP.equals(format(archive))) {
                // Random access: a zip's links and modes are in its central directory, which a streaming read never sees.
                try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
                    for (ZipArchiveEntry entry : Collections.list(zip.getEntriesInPhysicalOrder())) {
                        try (InputStream in = zip.getInputStream(entry)) {
                            written.add(entry, in);
                        }
                    }
                }
            } else {
                try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
                        InputStream decompressed = new BufferedInputStream(decompressed(raw));
                        TarArchiveInputStream tar = new TarArchiveInputStream(decompressed)) {
                    TarArchiveEntry entry;
                    while ((entry = tar.getNextEntry()) != null) {
                        written.add(entry, tar);
                    }
                }
            }
        } catch (IOException e) {
            // A truncated or corrupt archive surfaces as an IOException from the decoder.
            throw new ImportRejected("the archive cannot be read to its end (truncated or corrupt?): " + e.getMessage(), e);
        }
        if (written.count == 0) {
            throw new ImportRejected("the archive is empty");
        }
        return written.bytes;
    }

    /** {@code zip} or {@code tar} (also inside gzip); anything else is refused. */
    private static String format(Path archive) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
                InputStream in = new BufferedInputStream(decompressed(raw))) {
            String format = ArchiveStreamFactory.detect(in);
            if (!ArchiveStreamFactory.TAR.equals(format) && !ArchiveStreamFactory.ZIP.equals(format)) {
                throw new ImportRejected("the upload is a " + format + " archive; send a tar, tar.gz or zip archive");
            }
            return format;
        } catch (ArchiveException e) {
            throw new ImportRejected("the upload is no tar or zip archive (" + e.getMessage() + ")", e);
        }
    }

    private static InputStream decompressed(InputStream raw) throws IOException {
        try {
            String compression = CompressorStreamFactory.detect(raw);
            if (!CompressorStreamFactory.GZIP.equals(compression)) {
                throw new ImportRejected("the upload is compressed as " + compression + "; send a tar, tar.gz or zip archive");
            }
            return new CompressorStreamFactory().createCompressorInputStream(compression, raw);
        } catch (CompressorException e) {
            return raw; // not compressed: a plain tar or a zip
        }
    }

    /** The entries written so far and their bytes, checked against the limits entry by entry. */
    private final class Written {
        private final Path target;
        private final Set<String> seen = new HashSet<>();
        private int count;
        private long bytes;

        Written(Path target) {
            this.target = target;
        }

        void add(ArchiveEntry entry, InputStream content) throws IOException {
            if (++count > maxEntries) {
                throw new ImportRejected("the archive has more than " + maxEntries + " entries");
            }
            String name = entry.getName();
            Path path = safePath(target, name);
            requirePlain(entry);
            if (!seen.add(target.relativize(path) + (entry.isDirectory() ? "/" : ""))) {
                throw new ImportRejected("archive entry \"" + name + "\" appears twice");
            }
            if (entry.isDirectory()) {
                Files.createDirectories(path);
                return;
            }
            if (path.equals(target)) {
                throw new ImportRejected("archive entry \"" + name + "\" is a file without a name");
            }
            Files.createDirectories(path.getParent());
            bytes += copyBounded(content, path, name, maxBytes - bytes);
        }
    }

    /** The entry's place under {@code target}, refusing every name that could land elsewhere. */
    static Path safePath(Path target, String name) {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0 || name.contains("\\")
                || name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
            throw new ImportRejected("archive entry \"" + name + "\" has an absolute or unsafe name");
        }
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                throw new ImportRejected("archive entry \"" + name + "\" climbs out of the archive (..)");
            }
        }
        Path path = target.resolve(name).normalize();
        if (!path.startsWith(target)) {
            throw new ImportRejected("archive entry \"" + name + "\" lands outside the archive's folder");
        }
        return path;
    }

    private static void requirePlain(ArchiveEntry entry) {
        // TarArchiveEntry.isFile() is true of links too: ask for each special kind.
        boolean link = entry instanceof TarArchiveEntry tar && (tar.isSymbolicLink() || tar.isLink()
                || tar.isCharacterDevice() || tar.isBlockDevice() || tar.isFIFO() || !(tar.isFile() || tar.isDirectory()))
                || entry instanceof ZipArchiveEntry zip && zip.isUnixSymlink();
        if (link) {
            throw new ImportRejected("archive entry \"" + entry.getName() + "\" is a link or special file;"
                    + " only regular files and folders are accepted");
        }
    }

    private long copyBounded(InputStream in, Path file, String name, long allowed) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                written += n;
                if (written > allowed) {
                    throw new ImportRejected("the archive unpacks to more than " + maxBytes + " bytes (at entry \""
                            + name + "\")");
                }
                out.write(buffer, 0, n);
            }
        }
        return written;
    }
}
