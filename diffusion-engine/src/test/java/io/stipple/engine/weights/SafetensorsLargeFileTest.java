package io.stipple.engine.weights;

import static io.stipple.engine.weights.SafetensorsBytes.entry;
import static io.stipple.engine.weights.SafetensorsBytes.f32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 4 GiB checkpoint, made sparse so it costs no disk: a tensor placed past 2 GiB (beyond what
 * one mapping or array could reach) reads correctly, and a tensor of more elements than a Java
 * array holds is refused by name instead of allocated.
 */
class SafetensorsLargeFileTest {

    private static final long HUGE_ELEMENTS = 1L << 31;
    private static final long HUGE_BYTES = 2 * HUGE_ELEMENTS;

    /** Filesystems without sparse files would write 4 GiB of zeros. */
    private static final Set<String> NOT_SPARSE = Set.of("vfat", "msdos", "exfat", "fat", "fat32");

    @TempDir
    Path dir;

    @Test
    void readsATensorPastTwoGibibytesAndRefusesOneLargerThanAnArray() throws IOException {
        assumeTrue(!NOT_SPARSE.contains(Files.getFileStore(dir).type().toLowerCase()), "no sparse files on this filesystem");
        Path file = dir.resolve("large.safetensors");
        String json = "{" + entry("huge", "F16", "[" + HUGE_ELEMENTS + "]", 0, HUGE_BYTES) + ","
                + entry("tail", "F32", "[2,2]", HUGE_BYTES, HUGE_BYTES + 16) + "}";
        byte[] header = (json + " ".repeat(7 - (json.length() + 7) % 8)).getBytes(StandardCharsets.UTF_8);
        long dataStart = 8 + header.length;
        try {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(dataStart + HUGE_BYTES + 16);
                raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
                raf.write(header);
                raf.seek(dataStart + HUGE_BYTES);
                raf.write(f32(1.5f, -2f, 0x1p-149f, Float.MAX_VALUE));
            } catch (IOException e) {
                assumeTrue(false, "cannot make a 4 GiB sparse file here: " + e);
            }
            try (WeightSource source = WeightSources.open(file)) {
                assertArrayEquals(new float[] {1.5f, -2f, 0x1p-149f, Float.MAX_VALUE}, source.floats("tail"));
                assertEquals(HUGE_ELEMENTS, source.info("huge").elements());
                assertEquals(file + ": tensor 'huge': 2147483648 elements are more than one Java array holds (2147483639)",
                        assertThrows(CheckpointFormatException.class, () -> source.floats("huge")).getMessage());
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
