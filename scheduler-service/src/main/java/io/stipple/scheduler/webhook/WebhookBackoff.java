package io.stipple.scheduler.webhook;

import java.time.Duration;

/**
 * Exponential backoff between webhook attempts: initial, doubled after each failure, capped; with
 * jitter, a random point in the upper half of that wait, so the notifications of one endpoint that
 * failed together (an outage) do not all come back at the same moment.
 */
public record WebhookBackoff(Duration initial, Duration max) {

    /** The wait after the {@code failedAttempts}-th failed attempt (1 for the first failure). */
    public Duration after(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failed attempts start at 1, got " + failedAttempts);
        }
        int doublings = Math.min(failedAttempts - 1, 30);
        Duration delay = initial.multipliedBy(1L << doublings);
        return delay.compareTo(max) > 0 ? max : delay;
    }

    /** {@link #after} scaled by a factor in [0.5, 1) drawn from {@code random}. */
    public Duration jitteredAfter(int failedAttempts, java.util.random.RandomGenerator random) {
        Duration full = after(failedAttempts);
        return Duration.ofNanos((long) (full.toNanos() * (0.5 + 0.5 * random.nextDouble())));
    }
}
