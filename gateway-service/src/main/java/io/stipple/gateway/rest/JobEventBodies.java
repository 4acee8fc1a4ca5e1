package io.stipple.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.stipple.contracts.ContractsJson;
import io.stipple.gateway.mapping.JobResourceMapper;
import io.stipple.gateway.repository.JobRow;
import io.stipple.gateway.repository.JobViewEvent;
import io.stipple.gateway.rest.model.JobEventData;
import io.stipple.gateway.service.JobEventStream;
import io.stipple.gateway.service.JobQueries;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The data of an SSE event as sent: the stored log entry as it is, and on the terminal one the same entry with the
 * job as {@code GET /v1/jobs/{id}} answers it now (read under the stream's tenant, mapped by the same mapper, result
 * links signed at this read), so a client following a job has its results without another request.
 */
@ApplicationScoped
public class JobEventBodies {

    private final JobQueries queries;
    private final JobResourceMapper mapper;
    /** The REST API's mapper, so that {@code job} is written as {@code GET /v1/jobs/{id}} writes it. */
    private final ObjectMapper json;

    public JobEventBodies(JobQueries queries, JobResourceMapper mapper, ObjectMapper json) {
        this.queries = queries;
        this.mapper = mapper;
        this.json = json;
    }

    /** @param job the followed job, as looked up for the caller's tenant */
    public Uni<String> dataOf(JobRow job, JobViewEvent event) {
        if (!JobEventStream.isTerminal(event.type())) {
            return Uni.createFrom().item(event.dataJson());
        }
        return queries.get(job.tenantId(), job.id())
                .map(row -> write(read(event).withJob(mapper.toResource(row))));
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
