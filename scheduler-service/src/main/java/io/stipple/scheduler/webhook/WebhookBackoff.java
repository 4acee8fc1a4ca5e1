package io.stipple.scheduler.webhook;

import java.time.Duration;

/** Exponential backoff between webhook attempts: initial, doubled after each failure, capped. */
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
}
