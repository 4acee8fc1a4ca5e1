package io.stipple.gateway.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.JobStatus;
import io.stipple.gateway.rest.model.JobEventData;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** Builds the JSON of job-log entries (the SSE events) from what happened; the job is added when sent. */
@ApplicationScoped
public class JobEventMapper {

    /** Stored JSON is contract JSON: read and written like the messages, unknown fields tolerated. */
    private final ObjectMapper json = ContractsJson.mapper();

    /** An entry the gateway writes itself (submitted, cancel requested). */
    public String simple(String type, JobState status, int attempt, String detail, Instant at) {
        return write(new JobEventData(type, status, attempt, null, detail, null, at, null));
    }

    /** The entry of an applied status snapshot, named after its trigger. */
    public String fromStatus(JobStatus status) {
        return write(new JobEventData(WireNames.of(status.trigger()), status.status(), status.attempt(),
                status.progress(), status.detail(), status.error(), status.timestamp(), null));
    }

    private String write(JobEventData data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a job event", e);
        }
    }
}
