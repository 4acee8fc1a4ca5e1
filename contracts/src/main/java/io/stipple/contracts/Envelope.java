package io.stipple.contracts;

import java.time.Instant;
import java.util.UUID;

/** Checks shared by every message constructor; keeps the records free of repeated null checks. */
public final class Envelope {

    private Envelope() {
    }

    /** Validates the envelope fields of a message, naming the message type and the field in the error. */
    public static void check(String messageType, SchemaVersion schemaVersion, UUID jobId, String tenantId,
            int attempt, long sequence, Instant timestamp) {
        SchemaVersion.requireReadable(schemaVersion, messageType);
        require(jobId, messageType, "job_id");
        require(tenantId, messageType, "tenant_id");
        require(timestamp, messageType, "timestamp");
        if (attempt < 0) {
            throw new IllegalArgumentException(messageType + ": attempt must be >= 0, got " + attempt);
        }
        if (sequence < 0) {
            throw new IllegalArgumentException(messageType + ": sequence must be >= 0, got " + sequence);
        }
    }

    /** Fails with a message naming the JSON field when a required value is missing. */
    public static <T> T require(T value, String messageType, String field) {
        if (value == null) {
            throw new IllegalArgumentException(messageType + ": " + field + " is required");
        }
        return value;
    }
}
