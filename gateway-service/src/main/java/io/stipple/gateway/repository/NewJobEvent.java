package io.stipple.gateway.repository;

import java.time.Instant;

/** An entry to append to a job's event log ({@link JobViewEvent} once stored). */
public record NewJobEvent(String type, String dataJson, Instant at) {
}
