package io.stipple.gateway.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.status.JobStatus;
import io.stipple.gateway.repository.JobViewUpdate;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a scheduler snapshot into the columns of the gateway's read model. */
@ApplicationScoped
public class JobViewMapper {

    /** Stored JSON is contract JSON: read and written like the messages, unknown fields tolerated. */
    private final ObjectMapper json = ContractsJson.mapper();

    public JobViewUpdate toUpdate(JobStatus s) {
        return new JobViewUpdate(s.jobId(), s.tenantId(), WireNames.of(s.status()), s.attempt(), s.sequence(),
                write(s.progress()), write(s.outputs()), s.producedModel() == null ? null : s.producedModel().toString(),
                write(s.error()), s.timestamps().queuedAt(), s.timestamps().startedAt(), s.timestamps().completedAt(),
                s.cancelRequested(), s.timestamp());
    }

    private String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }
}
