package io.stipple.consumer;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The wait before a failed job is dispatched again (the scheduler) or a failed webhook notification is
 * posted again (the gateway): {@code initial}, doubled after each further failure, capped at {@code max},
 * of which a random half is kept ("equal jitter": between half and all of it), so that what one outage
 * failed together does not all come back in the same second.
 */
public final class RetryBackoff {

    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;

    /** @param random where the jitter comes from (seeded in tests) */
    public RetryBackoff(Duration initial, Duration max, RandomGenerator random) {
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("retry backoff needs 0 <= initial <= max, was " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The wait after the {@code failures}-th failure (1 for the first). */
    public Duration after(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures start at 1, got " + failures);
        }
        int doublings = Math.min(failures - 1, 30);
        Duration full = initial.multipliedBy(1L << doublings);
        if (full.compareTo(max) > 0) {
            full = max;
        }
        long halfNanos = full.toNanos() / 2;
        return Duration.ofNanos(full.toNanos() - halfNanos + (halfNanos == 0 ? 0 : random.nextLong(halfNanos + 1)));
    }
}
