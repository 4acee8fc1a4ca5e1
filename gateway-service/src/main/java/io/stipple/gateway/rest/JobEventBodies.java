package io.stipple.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.contracts.ContractsJson;
import io.stipple.gateway.mapping.JobResourceMapper;
import io.stipple.gateway.repository.JobRow;
import io.stipple.gateway.repository.JobViewEvent;
import io.stipple.gateway.rest.model.JobEventData;
import io.stipple.gateway.service.JobEventStream;
import io.stipple.gateway.service.rejection.ResourceNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The data of an SSE event as sent: the stored log entry as it is, and on the terminal one the same entry with the
 * job as {@code GET /v1/jobs/{id}} answers it (read under the stream's tenant with the event, {@link JobEventStream},
 * mapped by the same mapper, result links signed now), so a client following a job has its results without another
 * request.
 */
@ApplicationScoped
public class JobEventBodies {

    private final JobResourceMapper mapper;
    /** The REST API's mapper, so that {@code job} is written as {@code GET /v1/jobs/{id}} writes it. */
    private final ObjectMapper json;

    public JobEventBodies(JobResourceMapper mapper, ObjectMapper json) {
        this.mapper = mapper;
        this.json = json;
    }

    /** @param job the followed job, as looked up for the caller's tenant */
    public String dataOf(JobRow job, JobViewEvent event) {
        if (!JobEventStream.isTerminal(event.type())) {
            return event.dataJson();
        }
        if (event.job() == null) {
            // no longer the tenant's job (or gone): what GET /v1/jobs/{id} would answer
            throw new ResourceNotFoundException("job " + job.id());
        }
        return write(read(event).withJob(mapper.toResource(event.job())));
    }

    /** Stored JSON is contract JSON, read like the messages (unknown fields tolerated). */
    private static JobEventData read(JobViewEvent event) {
        try {
            return ContractsJson.mapper().readValue(event.dataJson(), JobEventData.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event " + event.id() + " is unreadable: " + event.dataJson(), e);
        }
    }

    private String write(JobEventData data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event of job " + data.job().id() + " could not be written", e);
        }
    }
}
