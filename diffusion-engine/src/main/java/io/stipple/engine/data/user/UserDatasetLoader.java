package io.stipple.engine.data.user;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.engine.image.ImageDecoder;
import io.stipple.engine.image.Resize;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipException;

/**
 * Loads a user's captioned images from a folder or a zip archive:
 * <pre>
 * captions.jsonl      one JSON object per line: {"file": "cat1.png", "caption": "a photo of sks cat"}
 * cat1.png, ...       PNG or JPEG, paths relative to captions.jsonl (subfolders allowed)
 * </pre>
 * A zip may hold everything inside one top-level folder. Every problem (unreadable or oversized
 * file, decompression bomb, unsafe archive path, malformed line, image without caption, caption
 * without image) is reported by file name in {@link LoadedDataset#problems()} and the file
 * skipped; loading never fails because of one bad file. Each usable image is centre-cropped to a
 * square and scaled to the training resolution ({@link Resize#toSquare}).
 */
public final class UserDatasetLoader {

    public static final String CAPTIONS = "captions.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> IMAGE_SUFFIXES = Set.of(".png", ".jpg", ".jpeg");

    private final LoaderLimits limits;
    private final int resolution;

    public UserDatasetLoader(LoaderLimits limits, int resolution) {
        if (resolution < 1) {
            throw new IllegalArgumentException("resolution must be positive: " + resolution);
        }
        this.limits = limits;
        this.resolution = resolution;
    }

    /** Loads a folder or a .zip file. IOException only if the path itself cannot be opened. */
    public LoadedDataset load(Path path) throws IOException {
        List<Problem> problems = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (DatasetSource source = new FolderSource(path, limits.maxFiles())) {
                return load(source, problems);
            }
        }
        ZipSource zip;
        try {
            zip = new ZipSource(path, limits.maxFiles());
        } catch (ZipException e) {
            problems.add(new Problem(path.getFileName().toString(), "neither a folder nor a readable zip: " + e.getMessage()));
            return new LoadedDataset(List.of(), problems);
        }
        try (zip) {
            zip.unsafeEntries().forEach(name -> problems.add(new Problem(name, "unsafe path in archive, skipped")));
            return load(zip, problems);
        }
    }

    private LoadedDataset load(DatasetSource source, List<Problem> problems) throws IOException {
        List<String> files = source.files();
        if (files.size() >= limits.maxFiles()) {
            problems.add(new Problem(".", "more than " + limits.maxFiles() + " files; the rest were ignored"));
        }
        String base = captionsFolder(files);
        if (base == null) {
            problems.add(new Problem(".", "no " + CAPTIONS + " at the top level"));
            return new LoadedDataset(List.of(), problems);
        }
        Map<String, String> captions = readCaptions(source, base + CAPTIONS, problems);
        Set<String> present = new HashSet<>(files);
        List<CaptionedImage> samples = new ArrayList<>();
        captions.forEach((file, caption) -> {
            if (!present.contains(base + file)) {
                problems.add(new Problem(file, "listed in " + CAPTIONS + " but not found"));
                return;
            }
            try {
                byte[] bytes = source.read(base + file, limits.maxFileBytes());
                var image = ImageDecoder.decode(bytes, limits.maxPixels());
                samples.add(new CaptionedImage(file, caption, Resize.toSquare(image, resolution)));
            } catch (IOException e) {
                problems.add(new Problem(file, e.getMessage()));
            }
        });
        for (String file : files) {
            if (file.startsWith(base) && isImageName(file) && !captions.containsKey(file.substring(base.length()))) {
                problems.add(new Problem(file.substring(base.length()), "no caption in " + CAPTIONS));
            }
        }
        return new LoadedDataset(samples, problems);
    }

    /** "" if captions.jsonl is at the top, "folder/" if the archive wraps everything in one folder. */
    private static String captionsFolder(List<String> files) {
        if (files.contains(CAPTIONS)) {
            return "";
        }
        List<String> nested = files.stream()
                .filter(file -> file.endsWith("/" + CAPTIONS) && file.indexOf('/') == file.length() - CAPTIONS.length() - 1)
                .filter(file -> !file.startsWith("__MACOSX/"))
                .toList();
        return nested.size() == 1 ? nested.get(0).substring(0, nested.get(0).length() - CAPTIONS.length()) : null;
    }

    private Map<String, String> readCaptions(DatasetSource source, String file, List<Problem> problems) {
        Map<String, String> captions = new LinkedHashMap<>();
        String text;
        try {
            text = new String(source.read(file, limits.maxFileBytes()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(new Problem(CAPTIONS, e.getMessage()));
            return captions;
        }
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String where = CAPTIONS + ":" + (i + 1);
            if (lines[i].isBlank()) {
                continue;
            }
            JsonNode line;
            try {
                line = JSON.readTree(lines[i]);
            } catch (IOException e) {
                problems.add(new Problem(where, "not valid JSON"));
                continue;
            }
            JsonNode name = line.get("file");
            JsonNode caption = line.get("caption");
            if (name == null || !name.isTextual() || caption == null || !caption.isTextual()) {
                problems.add(new Problem(where, "needs string fields \"file\" and \"caption\""));
            } else if (!ArchivePaths.isSafe(name.asText())) {
                problems.add(new Problem(name.asText(), "unsafe path in " + where + ", skipped"));
            } else if (caption.asText().isBlank()) {
                problems.add(new Problem(name.asText(), "empty caption in " + where));
            } else if (captions.putIfAbsent(name.asText(), caption.asText()) != null) {
                problems.add(new Problem(name.asText(), "second caption in " + where + " ignored"));
            }
        }
        return captions;
    }

    private static boolean isImageName(String file) {
        String lower = file.toLowerCase(Locale.ROOT);
        return IMAGE_SUFFIXES.stream().anyMatch(lower::endsWith) && !lower.startsWith("__macosx/");
    }
}
