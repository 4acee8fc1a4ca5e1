package io.stipple.engine.training;

import java.util.SplittableRandom;

/** A random stream keyed by (seed, step): what makes resumed training repeat an uninterrupted run. */
public final class StepRandom {

    private StepRandom() {
    }

    public static SplittableRandom of(long seed, long step) {
        // SplittableRandom's own mixing of (seed + golden-ratio multiple of step) decorrelates neighbours.
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + step);
    }
}
