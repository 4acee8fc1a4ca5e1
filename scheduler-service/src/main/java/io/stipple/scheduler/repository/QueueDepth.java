package io.stipple.scheduler.repository;

import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.spec.Priority;

/** How many jobs of one kind and priority class wait for dispatch. */
public record QueueDepth(JobKind kind, Priority priority, long waiting) {
}
