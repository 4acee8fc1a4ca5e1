package io.stipple.engine.data.user;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A dataset in a zip archive. Entries are read in memory, never extracted, and every entry name
 * is checked: absolute paths, drive letters, backslashes and ".." segments (zip-slip) are
 * collected as {@link #unsafeEntries()} and never served.
 */
final class ZipSource implements DatasetSource {

    private final ZipFile zip;
    private final Map<String, ZipEntry> entries = new LinkedHashMap<>();
    private final List<String> unsafe = new ArrayList<>();

    ZipSource(Path file, int maxFiles) throws IOException {
        this.zip = new ZipFile(file.toFile());
        Enumeration<? extends ZipEntry> all = zip.entries();
        while (all.hasMoreElements() && entries.size() < maxFiles) {
            ZipEntry entry = all.nextElement();
            if (entry.isDirectory()) {
                continue;
            }
            if (ArchivePaths.isSafe(entry.getName())) {
                entries.put(entry.getName(), entry);
            } else {
                unsafe.add(entry.getName());
            }
        }
    }

    /** Entry names refused as unsafe. */
    List<String> unsafeEntries() {
        return List.copyOf(unsafe);
    }

    @Override
    public List<String> files() {
        return List.copyOf(entries.keySet());
    }

    @Override
    public byte[] read(String file, long maxBytes) throws IOException {
        ZipEntry entry = entries.get(file);
        if (entry == null) {
            throw new IOException("no such file in the archive");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return BoundedRead.readAtMost(in, maxBytes);
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
