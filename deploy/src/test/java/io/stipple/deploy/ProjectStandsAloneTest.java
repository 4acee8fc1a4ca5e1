package io.stipple.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A clone of this repository is all a user has: no file may point at the folder of notes and fixtures
 * the project was started from, which sat next to it (a sibling {@code shared} folder). What the
 * project needs from there lives in {@code docs/} and {@code test-fixtures/}.
 */
class ProjectStandsAloneTest {

    /** The sibling folder, relative or by the build machines' absolute path; spelt in pieces so this file does not match. */
    private static final Pattern OUTSIDE_REFERENCE = Pattern.compile("(\\.\\./|/work/)" + "shared\\b");
    /** Build output, local state, installed packages and tool settings: not part of the project. */
    private static final Set<String> NOT_PROJECT_FILES = Set.of(".git", "target", ".stipple", "node_modules", ".idea", ".vscode");
    private static final int BINARY_SNIFF_BYTES = 8000;

    @Test
    void noFileRefersToAFolderOutsideTheRepository() throws IOException {
        List<Path> textFiles = projectTextFiles();
        List<String> references = new ArrayList<>();
        for (Path file : textFiles) {
            // Lenient decoding: a text file in another encoding must not fail the scan.
            List<String> lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            for (int i = 0; i < lines.size(); i++) {
                if (OUTSIDE_REFERENCE.matcher(lines.get(i)).find()) {
                    references.add(DeployFiles.REPOSITORY.relativize(file) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertTrue(textFiles.size() > 100, "found only " + textFiles.size() + " text files under " + DeployFiles.REPOSITORY);
        assertEquals(List.of(), references, "files that refer to a folder outside the repository; move what they need into docs/");
    }

    @Test
    void thePatternFindsBothSpellings() {
        assertTrue(OUTSIDE_REFERENCE.matcher("see .." + "/shared/FIELD-NOTES.md").find());
        assertTrue(OUTSIDE_REFERENCE.matcher("Path.of(\"/work/" + "shared/fixtures\")").find());
        assertFalse(OUTSIDE_REFERENCE.matcher("the shared topic; ../sharedness").find());
    }

    private static List<Path> projectTextFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(DeployFiles.REPOSITORY, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                return NOT_PROJECT_FILES.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE
                        : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (attributes.isRegularFile() && !isBinary(file)) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    /** As git decides: a NUL byte near the start (model weights, images, .npy tensors). */
    private static boolean isBinary(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            for (byte b : in.readNBytes(BINARY_SNIFF_BYTES)) {
                if (b == 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
