package io.stipple.gateway.rest.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stipple.contracts.event.Progress;
import io.stipple.contracts.status.JobError;
import io.stipple.contracts.status.JobState;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * The data of one event of {@code GET /v1/jobs/{id}/events}; the SSE event name is {@code type}
 * (submitted, queued, running, progress, requeued, cancel_requested, succeeded, failed, canceled).
 *
 * @param job on the terminal event only (never stored in the log): the job as {@code GET /v1/jobs/{id}} answers it
 *            when the event is sent, result links signed then, so a follower needs no further request
 */
@Schema(name = "JobEvent")
public record JobEventData(String type, JobState status, int attempt, Progress progress, String detail, JobError error,
        Instant at,
        @JsonInclude(JsonInclude.Include.NON_NULL)
        @Schema(description = "Only on the terminal event (succeeded, failed, canceled): the job as GET /v1/jobs/{id} "
                + "answers it when the event is sent, with its result links signed then.")
        JobResource job) {

    public JobEventData withJob(JobResource resource) {
        return new JobEventData(type, status, attempt, progress, detail, error, at, resource);
    }
}
