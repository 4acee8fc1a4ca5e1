package io.stipple.engine.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stipple.engine.noise.PhiloxNoise.ImageKey;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PhiloxNoiseTest {

    private static final int PER_IMAGE = 3 * 16 * 16 + 3; // not a multiple of 4 on purpose

    private static float[] row(float[] batch, int r) {
        return Arrays.copyOfRange(batch, r * PER_IMAGE, (r + 1) * PER_IMAGE);
    }

    @Test
    void anImageGetsTheSameNoiseAloneOrAtAnyBatchPosition() {
        PhiloxNoise alone = PhiloxNoise.forKeys(List.of(new ImageKey(42, 2)));
        PhiloxNoise batch = PhiloxNoise.forKeys(List.of(new ImageKey(7, 0), new ImageKey(42, 2), new ImageKey(42, 0)));
        PhiloxNoise request = PhiloxNoise.forImages(42, 0, 3);
        for (int draw = 0; draw < 3; draw++) {
            float[] a = alone.nextGaussian(PER_IMAGE);
            float[] b = batch.nextGaussian(3 * PER_IMAGE);
            float[] c = request.nextGaussian(3 * PER_IMAGE);
            assertArrayEquals(a, row(b, 1), "draw " + draw);
            assertArrayEquals(a, row(c, 2), "draw " + draw);
            assertArrayEquals(row(b, 2), row(c, 0));
        }
    }

    @Test
    void drawsImagesAndSeedsDiffer() {
        PhiloxNoise n = PhiloxNoise.forImages(1, 0, 2);
        float[] first = n.nextGaussian(2 * PER_IMAGE);
        float[] second = n.nextGaussian(2 * PER_IMAGE);
        assertFalse(Arrays.equals(row(first, 0), row(first, 1)));
        assertFalse(Arrays.equals(row(first, 0), row(second, 0)));
        assertFalse(Arrays.equals(PhiloxNoise.gaussian(new ImageKey(1, 0), 0, 8),
                PhiloxNoise.gaussian(new ImageKey(2, 0), 0, 8)));
    }

    @Test
    void independentOfThreadsBecauseEachValueIsAPureFunction() {
        ImageKey key = new ImageKey(-5L, 3);
        float[] sequential = PhiloxNoise.gaussian(key, 4, 4096);
        float[] parallel = new float[4096];
        IntStream.range(0, 4096 / 64).parallel().forEach(chunk -> {
            float[] all = PhiloxNoise.gaussian(key, 4, (chunk + 1) * 64);
            System.arraycopy(all, chunk * 64, parallel, chunk * 64, 64);
        });
        assertArrayEquals(sequential, parallel);
    }

    @Test
    void valuesAreStandardNormal() {
        float[] z = PhiloxNoise.gaussian(new ImageKey(123, 0), 0, 400_000);
        double mean = 0;
        double m2 = 0;
        double m4 = 0;
        for (float v : z) {
            mean += v;
        }
        mean /= z.length;
        for (float v : z) {
            double d = v - mean;
            m2 += d * d;
            m4 += d * d * d * d;
        }
        m2 /= z.length;
        m4 /= z.length;
        // standard errors: mean 0.0016, variance 0.0022, kurtosis ~0.008; bounds are ~5 sigma
        assertEquals(0.0, mean, 0.008);
        assertEquals(1.0, m2, 0.012);
        assertEquals(3.0, m4 / (m2 * m2), 0.05);
    }

    @Test
    void matchesTheIndependentPythonReferenceBitForBit() {
        // Bit patterns printed by src/test/python/philox_noise_reference.py (docs/noise.md).
        assertBits(new int[] {0x3f7dbb33, 0xbf6cb6b0, 0xbf1e1b9f, 0xbef6d1b2},
                PhiloxNoise.gaussian(new ImageKey(0, 0), 0, 4));
        assertBits(new int[] {0x3f8c7147, 0x3e91708b, 0xbde842a3, 0xc0173506, 0x3f1a1411, 0x3f813667},
                PhiloxNoise.gaussian(new ImageKey(42, 3), 7, 6));
        assertBits(new int[] {0xbf6c0a87, 0x3d093866}, PhiloxNoise.gaussian(new ImageKey(-1, 1), 0, 2));
    }

    private static void assertBits(int[] expected, float[] actual) {
        int[] bits = new int[actual.length];
        for (int i = 0; i < actual.length; i++) {
            bits[i] = Float.floatToRawIntBits(actual[i]);
        }
        assertArrayEquals(expected, bits);
    }

    @Test
    void rejectsLengthsThatDoNotSplitOverTheBatch() {
        assertThrows(IllegalArgumentException.class, () -> PhiloxNoise.forImages(0, 0, 3).nextGaussian(10));
    }
}
