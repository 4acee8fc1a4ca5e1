package io.stipple.trainer.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.trainer.imports.Archives.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and broken archives end as {@link ImportRejected} naming the entry, and nothing lands outside the target. */
class ArchiveUnpackerTest {

    private static final Path PIPELINE = Path.of("..", "test-fixtures", "sd-tiny", "tiny-sd-pipeline");

    @TempDir
    Path dir;

    private final ArchiveUnpacker unpacker = new ArchiveUnpacker(100, 32L << 20);

    @Test
    void unpacksTheTinyPipelineBitForBit() throws IOException {
        Path archive = Archives.tarGz(PIPELINE, "tiny-sd", dir.resolve("p.tgz"));
        long bytes = unpacker.unpack(archive, dir.resolve("out"));
        Path unet = Path.of("unet", "diffusion_pytorch_model.safetensors");
        assertArrayEquals(Files.readAllBytes(PIPELINE.resolve(unet)), Files.readAllBytes(dir.resolve("out/tiny-sd").resolve(unet)));
        assertEquals(ContentHash.of(PIPELINE).bytes(), bytes);
        assertEquals(ContentHash.of(PIPELINE).sha256(), ContentHash.of(dir.resolve("out/tiny-sd")).sha256());
    }

    @Test
    void refusesEntriesThatClimbOutOrAreAbsolute() throws IOException {
        for (String name : List.of("../evil.txt", "a/../../evil.txt", "/etc/evil.txt", "C:/evil.txt", "a\\..\\evil.txt")) {
            Path zip = Archives.zip(dir.resolve("z" + Math.abs(name.hashCode()) + ".zip"), List.of(Entry.file(name, "x")));
            Path out = dir.resolve("out" + Math.abs(name.hashCode()));
            ImportRejected e = assertThrows(ImportRejected.class, () -> unpacker.unpack(zip, out));
            assertTrue(e.getMessage().contains("evil.txt") && e.getMessage().contains("archive entry"), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("evil.txt")));
    }

    @Test
    void refusesLinksInTarAndZip() throws IOException {
        Path tar = Archives.tarWithSymlink(dir.resolve("l.tar"), "unet/config.json", "/etc/passwd");
        ImportRejected inTar = assertThrows(ImportRejected.class, () -> unpacker.unpack(tar, dir.resolve("t")));
        assertTrue(inTar.getMessage().contains("unet/config.json") && inTar.getMessage().contains("link"), inTar.getMessage());
        Path zip = Archives.zip(dir.resolve("l.zip"), List.of(Entry.link("model_index.json", "/etc/passwd")));
        ImportRejected inZip = assertThrows(ImportRejected.class, () -> unpacker.unpack(zip, dir.resolve("z")));
        assertTrue(inZip.getMessage().contains("model_index.json"), inZip.getMessage());
    }

    @Test
    void countsUnpackedBytesNotDeclaredOnes() throws IOException {
        Path bomb = Archives.zeros(dir.resolve("bomb.zip"), "zeros.bin", 64 << 20);
        assertTrue(Files.size(bomb) < 1 << 20, "the zip is small: " + Files.size(bomb));
        ImportRejected e = assertThrows(ImportRejected.class, () -> unpacker.unpack(bomb, dir.resolve("b")));
        assertTrue(e.getMessage().contains("more than " + (32L << 20) + " bytes") && e.getMessage().contains("zeros.bin"),
                e.getMessage());
        try (Stream<Path> left = Files.walk(dir.resolve("b"))) {
            long written = left.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
            assertTrue(written <= 32L << 20, "wrote " + written);
        }
    }

    @Test
    void refusesTooManyEntriesDuplicatesAndNonArchives() throws IOException {
        Entry[] many = new Entry[101];
        Arrays.setAll(many, i -> Entry.file("f" + i, "x"));
        Path manyZip = Archives.zip(dir.resolve("many.zip"), List.of(many));
        assertTrue(assertThrows(ImportRejected.class, () -> unpacker.unpack(manyZip, dir.resolve("m")))
                .getMessage().contains("more than 100 entries"));
        Path twice = Archives.zip(dir.resolve("twice.zip"), List.of(Entry.file("a/b", "1"), Entry.file("a/./b", "2")));
        assertTrue(assertThrows(ImportRejected.class, () -> unpacker.unpack(twice, dir.resolve("d")))
                .getMessage().contains("twice"));
        Path text = Files.writeString(dir.resolve("plain.txt"), "just some text, no archive at all");
        assertTrue(assertThrows(ImportRejected.class, () -> unpacker.unpack(text, dir.resolve("x")))
                .getMessage().contains("no tar or zip archive"));
    }

    @Test
    void refusesATruncatedArchive() throws IOException {
        Path whole = Archives.tarGz(PIPELINE, "tiny-sd", dir.resolve("whole.tgz"));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.tgz"), Arrays.copyOf(bytes, bytes.length / 2));
        ImportRejected e = assertThrows(ImportRejected.class, () -> unpacker.unpack(cut, dir.resolve("c")));
        assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
    }
}
