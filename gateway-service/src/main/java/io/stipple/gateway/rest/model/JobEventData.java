package io.stipple.gateway.rest.model;

import io.stipple.contracts.event.Progress;
import io.stipple.contracts.status.JobError;
import io.stipple.contracts.status.JobState;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * The data of one event of {@code GET /v1/jobs/{id}/events}; the SSE event name is {@code type}
 * (submitted, queued, running, progress, requeued, cancel_requested, succeeded, failed, canceled).
 */
@Schema(name = "JobEvent")
public record JobEventData(String type, JobState status, int attempt, Progress progress, String detail, JobError error,
        Instant at) {
}
