package io.stipple.engine.noise;

/**
 * The Philox4x32-10 counter-based block function (Salmon et al., "Parallel random numbers: as easy
 * as 1, 2, 3", SC'11), as in Random123: a 128-bit counter and a 64-bit key map to 128 random bits,
 * with no state between calls. Checked against Random123's known-answer vectors in the tests.
 */
public final class Philox4x32 {

    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final int ROUNDS = 10;

    private Philox4x32() {
    }

    /**
     * Writes the four output words for {@code counter = (c0, c1, c2, c3)} and {@code key = (k0, k1)}
     * into {@code out[0..3]}.
     */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int round = 0; round < ROUNDS; round++) {
            if (round > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int hi0 = (int) (p0 >>> 32);
            int lo0 = (int) p0;
            int hi1 = (int) (p1 >>> 32);
            int lo1 = (int) p1;
            c0 = hi1 ^ c1 ^ k0;
            c1 = lo1;
            c2 = hi0 ^ c3 ^ k1;
            c3 = lo0;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }
}
