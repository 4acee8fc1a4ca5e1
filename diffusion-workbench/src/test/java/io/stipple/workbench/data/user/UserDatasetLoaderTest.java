package io.stipple.workbench.data.user;

import io.stipple.engine.data.user.CaptionedImage;
import io.stipple.engine.data.user.LoadedDataset;
import io.stipple.engine.data.user.LoaderLimits;
import io.stipple.engine.data.user.Problem;
import io.stipple.engine.data.user.UserDatasetLoader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.workbench.data.ProceduralShapes;
import io.stipple.workbench.data.Split;
import io.stipple.engine.image.PngCodec;
import io.stipple.engine.image.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDatasetLoaderTest {

    private static final LoaderLimits LIMITS = new LoaderLimits(100_000, 200_000, 100);
    private final UserDatasetLoader loader = new UserDatasetLoader(LIMITS, 16);

    @TempDir
    Path dir;

    private static byte[] png(int size) {
        return PngCodec.encode(RgbImage.square(size, ProceduralShapes.sample(Split.TEST, size).render(size)), Map.of());
    }

    private static byte[] jpeg(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    /** A valid PNG header (signature + IHDR) announcing a 100000 x 100000 image, with no pixel data. */
    private static byte[] pixelBomb() {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(100_000).putInt(100_000)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        ByteBuffer png = ByteBuffer.allocate(8 + 4 + 17 + 4);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue());
        return png.array();
    }

    private static String captions(String... lines) {
        return String.join("\n", lines) + "\n";
    }

    private static Map<String, String> problemsByFile(LoadedDataset dataset) {
        return dataset.problems().stream().collect(Collectors.toMap(Problem::file, Problem::reason, (a, b) -> a + "; " + b));
    }

    @Test
    void loadsAFolderAndReportsEveryBadFileByName() throws IOException {
        Files.write(dir.resolve("a.png"), png(32));
        Files.createDirectories(dir.resolve("sub"));
        Files.write(dir.resolve("sub/b.jpg"), jpeg(40, 20));
        Files.write(dir.resolve("broken.png"), "not an image".getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("bomb.png"), pixelBomb());
        Files.write(dir.resolve("uncaptioned.png"), png(16));
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        Files.writeString(dir.resolve(UserDatasetLoader.CAPTIONS), captions(
                "{\"file\": \"a.png\", \"caption\": \"a red star\"}",
                "{\"file\": \"sub/b.jpg\", \"caption\": \"a black square\"}",
                "{\"file\": \"broken.png\", \"caption\": \"x\"}",
                "{\"file\": \"bomb.png\", \"caption\": \"x\"}",
                "{\"file\": \"missing.png\", \"caption\": \"x\"}",
                "{\"file\": \"../etc/passwd\", \"caption\": \"x\"}",
                "{\"file\": \"a.png\", \"caption\": \"again\"}",
                "this is not json",
                "{\"file\": \"a.png\"}"));

        LoadedDataset dataset = loader.load(dir);

        assertEquals(List.of("a.png", "sub/b.jpg"), dataset.samples().stream().map(CaptionedImage::file).toList());
        assertEquals("a red star", dataset.samples().get(0).caption());
        for (CaptionedImage sample : dataset.samples()) {
            assertEquals(16, sample.image().height());
            assertEquals(16, sample.image().width());
        }
        Map<String, String> problems = problemsByFile(dataset);
        assertTrue(problems.get("broken.png").contains("not a PNG or JPEG"), problems.toString());
        assertTrue(problems.get("bomb.png").contains("exceeds the limit"), problems.toString());
        assertTrue(problems.get("missing.png").contains("not found"), problems.toString());
        assertTrue(problems.get("../etc/passwd").contains("unsafe"), problems.toString());
        assertTrue(problems.get("uncaptioned.png").contains("no caption"), problems.toString());
        assertTrue(problems.get("a.png").contains("second caption"), problems.toString());
        assertTrue(problems.containsKey("captions.jsonl:8"), problems.toString());
        assertTrue(problems.containsKey("captions.jsonl:9"), problems.toString());
        assertEquals(8, dataset.problems().size(), problems.toString());
    }

    @Test
    void loadsAZipWrappedInAFolderAndRefusesTraversalAndInflationBombs() throws IOException {
        Path zip = dir.resolve("upload.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            put(out, "set/captions.jsonl", captions(
                    "{\"file\": \"ok.png\", \"caption\": \"a blue ring\"}",
                    "{\"file\": \"zeros.png\", \"caption\": \"x\"}").getBytes(StandardCharsets.UTF_8));
            put(out, "set/ok.png", png(64));
            put(out, "set/zeros.png", new byte[5_000_000]);
            put(out, "../../evil.png", png(16));
            put(out, "/abs.png", png(16));
        }

        LoadedDataset dataset = loader.load(zip);

        assertEquals(1, dataset.samples().size());
        assertEquals("a blue ring", dataset.samples().get(0).caption());
        Map<String, String> problems = problemsByFile(dataset);
        assertTrue(problems.get("zeros.png").contains("larger than"), problems.toString());
        assertTrue(problems.get("../../evil.png").contains("unsafe"), problems.toString());
        assertTrue(problems.get("/abs.png").contains("unsafe"), problems.toString());
        assertEquals(3, dataset.problems().size(), problems.toString());
    }

    @Test
    void reportsAMissingCaptionsFileAndANonArchive() throws IOException {
        Files.write(dir.resolve("a.png"), png(16));
        LoadedDataset noCaptions = loader.load(dir);
        assertTrue(noCaptions.samples().isEmpty());
        assertTrue(noCaptions.problems().get(0).reason().contains("captions.jsonl"));
        assertThrows(IllegalArgumentException.class, noCaptions::requireSamples);

        LoadedDataset notZip = loader.load(dir.resolve("a.png"));
        assertEquals("a.png", notZip.problems().get(0).file());
    }

    private static void put(ZipOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
