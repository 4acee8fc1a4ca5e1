package io.stipple.scheduler.policy;

import io.stipple.contracts.spec.Priority;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A queued job as the dispatch policies see it: nothing but what ordering needs.
 *
 * @param cost how much of a tenant's share dispatching it uses up (at least 1), e.g. its image count
 */
public record WaitingJob(UUID jobId, String tenant, Priority priority, Instant queuedAt, int cost) {

    public WaitingJob {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(queuedAt, "queuedAt");
        if (cost < 1) {
            throw new IllegalArgumentException("cost must be at least 1, was " + cost);
        }
    }
}
