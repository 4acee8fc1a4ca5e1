package io.stipple.scheduler.domain;

import java.time.Duration;

/**
 * The limits the lifecycle applies.
 *
 * @param leaseDuration how long a dispatched attempt may go without a worker event before it is given up
 * @param maxAttempts   attempts a job gets before a lost lease or retryable failure makes it fail for good
 */
public record LifecycleRules(Duration leaseDuration, int maxAttempts) {

    public LifecycleRules {
        if (leaseDuration.isNegative() || leaseDuration.isZero()) {
            throw new IllegalArgumentException("lease duration must be positive, was " + leaseDuration);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1, was " + maxAttempts);
        }
    }
}
