package io.stipple.gateway.repository;

import java.time.Instant;

/**
 * One entry of a job's event log; {@code id} is the SSE event id. {@code job} is the job as the same read found it,
 * when the reader asked for it with this type of event ({@link JobViewRepository#eventsAfter}), else null.
 */
public record JobViewEvent(long id, String type, String dataJson, Instant at, JobRow job) {
}
