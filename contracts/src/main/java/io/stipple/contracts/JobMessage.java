package io.stipple.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * The envelope fields every Kafka message carries. Messages are keyed by {@link #jobId()}.
 *
 * <p>Ordering: each producer numbers its own messages per job. {@link #attempt()} is the
 * scheduler's dispatch attempt (0 before the first dispatch); {@link #sequence()} grows by one with
 * every message a producer emits for the job (for worker events: within the attempt; for
 * {@code JobStatus}: across the job's whole life). A consumer applies a message only if
 * (attempt, sequence) is newer than what it has, so duplicates and late messages are harmless.
 */
public interface JobMessage {

    SchemaVersion schemaVersion();

    UUID jobId();

    String tenantId();

    int attempt();

    long sequence();

    Instant timestamp();

    /** True if this message is strictly newer than the (attempt, sequence) already applied. */
    default boolean isNewerThan(int appliedAttempt, long appliedSequence) {
        return attempt() != appliedAttempt ? attempt() > appliedAttempt : sequence() > appliedSequence;
    }
}
