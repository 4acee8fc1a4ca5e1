package io.stipple.scheduler.domain;

import io.stipple.consumer.RetryBackoff;
import java.time.Duration;

/**
 * The limits the lifecycle applies.
 *
 * @param leaseDuration          how long a dispatched attempt may go without a worker event before it is given up
 * @param maxAttempts            attempts a job gets before a lost lease or retryable failure of its own makes it
 *                               fail for good
 * @param infrastructureAttempts attempts that may be lost to the infrastructure (the object store away) before
 *                               the job fails for good; counted apart from {@code maxAttempts}, and larger
 * @param retryBackoff           the wait before a job that failed retryably is dispatched again
 */
public record LifecycleRules(Duration leaseDuration, int maxAttempts, int infrastructureAttempts, RetryBackoff retryBackoff) {

    public LifecycleRules {
        if (leaseDuration.isNegative() || leaseDuration.isZero()) {
            throw new IllegalArgumentException("lease duration must be positive, was " + leaseDuration);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1, was " + maxAttempts);
        }
        if (infrastructureAttempts < 1) {
            throw new IllegalArgumentException("infrastructure attempts must be at least 1, was " + infrastructureAttempts);
        }
    }
}
