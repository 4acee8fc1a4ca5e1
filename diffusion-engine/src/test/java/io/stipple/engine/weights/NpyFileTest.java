package io.stipple.engine.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files under test resources npy/ were written by numpy 2.4 (np.save, np.lib.format.write_array). */
class NpyFileTest {

    private static final Path NUMPY = Path.of("src", "test", "resources", "npy");

    @Test
    void readsWhatNumpyWrote() throws Exception {
        NpyFile.Array f4 = NpyFile.read(NUMPY.resolve("f4.npy"));
        assertArrayEquals(new long[] {2, 3}, f4.shape());
        assertArrayEquals(new float[] {0f, 1f / 7, 2f / 7, 3f / 7, 4f / 7, 5f / 7}, f4.values());

        NpyFile.Array f8 = NpyFile.read(NUMPY.resolve("f8.npy"));
        assertArrayEquals(new long[] {4}, f8.shape());
        assertArrayEquals(new float[] {1.5f, -2.25f, 3e-8f, 1e30f}, f8.values());

        NpyFile.Array v2 = NpyFile.read(NUMPY.resolve("v2.npy"));
        assertArrayEquals(new long[] {1, 2}, v2.shape());
        assertArrayEquals(new float[] {1f, 1f}, v2.values());
    }

    @Test
    void writesWhatItReadsBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.npy");
        float[] values = {1f, -0f, Float.MIN_VALUE, 3.25f, Float.MAX_VALUE, -7f};
        NpyFile.write(file, new long[] {1, 3, 2}, values);
        NpyFile.Array back = NpyFile.read(file);
        assertArrayEquals(new long[] {1, 3, 2}, back.shape());
        assertArrayEquals(values, back.values());
        // numpy's own rule: the data starts on a 64-byte boundary
        assertTrue((Files.size(file) - 4L * values.length) % 64 == 0);
    }

    @Test
    void refusesWhatItCannotRead(@TempDir Path dir) throws Exception {
        assertMessage(NUMPY.resolve("fortran.npy"), "Fortran order");
        assertMessage(NUMPY.resolve("int.npy"), "dtype '<i4'");
        assertMessage(NUMPY.resolve("f2.npy"), "dtype '<f2'");
        Path truncated = dir.resolve("truncated.npy");
        byte[] whole = Files.readAllBytes(NUMPY.resolve("f4.npy"));
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length - 4));
        assertMessage(truncated, "holds 20 data bytes but its header says [2, 3] x 4 bytes");
        Path text = dir.resolve("text.npy");
        Files.writeString(text, "not an array at all");
        assertMessage(text, "is not a .npy file");
    }

    private static void assertMessage(Path file, String part) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> NpyFile.read(file));
        assertTrue(e.getMessage().contains(part) && e.getMessage().contains(file.toString()), e.getMessage());
    }
}
