package io.stipple.engine.training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link CheckpointStore} over {@link Blobs}. Each checkpoint's files go under
 * {@code step-<n>/}; only then is the {@code latest} manifest (the step and the file list)
 * replaced, and the previous step's files removed. A crash mid-publish therefore leaves the
 * previous complete checkpoint in charge, never a mix of two.
 */
public final class BlobCheckpointStore implements CheckpointStore {

    static final String MANIFEST = "latest";

    private final Blobs blobs;

    public BlobCheckpointStore(Blobs blobs) {
        this.blobs = blobs;
    }

    @Override
    public boolean fetch(Path workDir) throws IOException {
        Manifest manifest = readManifest(workDir);
        if (manifest == null) {
            return false;
        }
        for (String file : manifest.files()) {
            Path target = workDir.resolve(file).normalize();
            if (!target.startsWith(workDir.normalize())) {
                throw new IOException("checkpoint file " + file + " leaves the work directory");
            }
            if (!blobs.get(manifest.prefix() + file, target)) {
                throw new IOException("checkpoint of step " + manifest.step() + " lacks " + file);
            }
        }
        return true;
    }

    @Override
    public void publish(Path workDir, List<Path> files, long step) throws IOException {
        Manifest previous = readManifest(workDir);
        Manifest next = new Manifest(step, files.stream().map(f -> f.toString().replace('\\', '/')).toList());
        for (String file : next.files()) {
            blobs.put(next.prefix() + file, workDir.resolve(file));
        }
        Path manifestFile = Files.createTempFile(workDir, "manifest", ".txt");
        try {
            List<String> lines = new ArrayList<>();
            lines.add(Long.toString(step));
            lines.addAll(next.files());
            Files.write(manifestFile, lines, StandardCharsets.UTF_8);
            blobs.put(MANIFEST, manifestFile);
        } finally {
            Files.deleteIfExists(manifestFile);
        }
        if (previous != null && previous.step() != step) {
            for (String file : previous.files()) {
                blobs.delete(previous.prefix() + file);
            }
        }
    }

    private Manifest readManifest(Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Path local = Files.createTempFile(workDir, "manifest", ".txt");
        try {
            if (!blobs.get(MANIFEST, local)) {
                return null;
            }
            List<String> lines = Files.readAllLines(local, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank()).toList();
            return new Manifest(Long.parseLong(lines.get(0)), lines.subList(1, lines.size()));
        } finally {
            Files.deleteIfExists(local);
        }
    }

    private record Manifest(long step, List<String> files) {
        String prefix() {
            return "step-" + step + "/";
        }
    }
}
