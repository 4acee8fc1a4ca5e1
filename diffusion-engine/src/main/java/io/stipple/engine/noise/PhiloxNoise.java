package io.stipple.engine.noise;

import java.util.Arrays;
import java.util.List;

/**
 * Seeded Gaussian noise keyed by (seed, image index, draw, element): each value is a pure function
 * of those four numbers, so an image gets the same noise whether it is sampled alone or at any
 * position in a batch, in any order, on any thread. The exact algorithm is in docs/noise.md.
 *
 * <p>Each row of the batch is an {@link ImageKey}. The draw index counts calls to
 * {@link #nextGaussian}: draw 0 is normally the initial latent, then one per scheduler noise draw.
 */
public final class PhiloxNoise implements NoiseSource {

    /** Identifies one image's noise stream: the request seed and the image's index in the request. */
    public record ImageKey(long seed, int imageIndex) {
    }

    private static final double TWO_POW_MINUS_32 = 0x1.0p-32;

    private final ImageKey[] rows;
    private int draw;

    private PhiloxNoise(ImageKey[] rows, int firstDraw) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("a noise source needs at least one image");
        }
        this.rows = rows;
        this.draw = firstDraw;
    }

    /** One image: seed {@code seed}, image index 0. */
    public static PhiloxNoise of(long seed) {
        return forImages(seed, 0, 1);
    }

    /** Images {@code firstIndex .. firstIndex + count - 1} of one request with seed {@code seed}. */
    public static PhiloxNoise forImages(long seed, int firstIndex, int count) {
        ImageKey[] keys = new ImageKey[count];
        for (int i = 0; i < count; i++) {
            keys[i] = new ImageKey(seed, firstIndex + i);
        }
        return new PhiloxNoise(keys, 0);
    }

    /** A batch where each row has its own seed (image index 0 for each). */
    public static PhiloxNoise forSeeds(long... seeds) {
        return new PhiloxNoise(Arrays.stream(seeds).mapToObj(s -> new ImageKey(s, 0)).toArray(ImageKey[]::new), 0);
    }

    /** A batch assembled from arbitrary images (e.g. several requests batched together). */
    public static PhiloxNoise forKeys(List<ImageKey> keys) {
        return new PhiloxNoise(keys.toArray(ImageKey[]::new), 0);
    }

    public List<ImageKey> keys() {
        return List.of(rows);
    }

    /** The index the next call to {@link #nextGaussian} will use. */
    public int nextDraw() {
        return draw;
    }

    @Override
    public int batchSize() {
        return rows.length;
    }

    @Override
    public float[] nextGaussian(int length) {
        if (length % rows.length != 0) {
            throw new IllegalArgumentException("cannot split " + length + " values over " + rows.length + " images");
        }
        int perImage = length / rows.length;
        float[] out = new float[length];
        for (int r = 0; r < rows.length; r++) {
            fill(rows[r], draw, out, r * perImage, perImage);
        }
        draw++;
        return out;
    }

    /** The values of elements {@code 0 .. count-1} of {@code key}'s draw {@code draw}. */
    public static float[] gaussian(ImageKey key, int draw, int count) {
        float[] out = new float[count];
        fill(key, draw, out, 0, count);
        return out;
    }

    private static void fill(ImageKey key, int draw, float[] out, int offset, int count) {
        int k0 = (int) key.seed();
        int k1 = (int) (key.seed() >>> 32);
        int[] bits = new int[4];
        for (int block = 0; block * 4 < count; block++) {
            Philox4x32.block(block, draw, key.imageIndex(), 0, k0, k1, bits);
            int base = block * 4;
            boxMuller(bits[0], bits[1], out, offset + base, count - base);
            boxMuller(bits[2], bits[3], out, offset + base + 2, count - base - 2);
        }
    }

    /** Two normals from two words; writes only as many as {@code room} allows. */
    private static void boxMuller(int a, int b, float[] out, int at, int room) {
        if (room <= 0) {
            return;
        }
        // (x + 0.5) / 2^32 lies strictly inside (0, 1), so the log is finite.
        double u1 = ((a & 0xFFFFFFFFL) + 0.5) * TWO_POW_MINUS_32;
        double u2 = ((b & 0xFFFFFFFFL) + 0.5) * TWO_POW_MINUS_32;
        double radius = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
        double angle = 2.0 * Math.PI * u2;
        out[at] = (float) (radius * StrictMath.cos(angle));
        if (room > 1) {
            out[at + 1] = (float) (radius * StrictMath.sin(angle));
        }
    }
}
