package io.stipple.contracts.status;

import java.time.Instant;

/**
 * When a job passed each milestone; null until it did.
 *
 * @param submittedAt  accepted by the gateway
 * @param queuedAt     first queued by the scheduler
 * @param startedAt    the current attempt started running
 * @param completedAt  reached a terminal state
 */
public record JobTimestamps(Instant submittedAt, Instant queuedAt, Instant startedAt, Instant completedAt) {
}
