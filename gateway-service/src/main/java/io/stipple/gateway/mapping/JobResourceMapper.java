package io.stipple.gateway.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.event.JobOutput;
import io.stipple.contracts.event.Progress;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.spec.JobSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.status.JobError;
import io.stipple.contracts.status.JobState;
import io.stipple.gateway.repository.JobRow;
import io.stipple.gateway.rest.model.JobMetrics;
import io.stipple.gateway.rest.model.JobResource;
import io.stipple.gateway.rest.model.ResultLink;
import io.stipple.gateway.service.ResultLinks;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Turns a stored job (request + read-model view) into the resource clients see. */
@ApplicationScoped
public class JobResourceMapper {

    private static final TypeReference<List<JobOutput>> OUTPUTS = new TypeReference<>() {
    };

    /** Stored JSON is contract JSON: read and written like the messages, unknown fields tolerated. */
    private final ObjectMapper json = ContractsJson.mapper();
    private final ResultLinks links;

    public JobResourceMapper(ResultLinks links) {
        this.links = links;
    }

    public JobResource toResource(JobRow row) {
        return toResource(row, read(row.specJson(), JobSpec.class));
    }

    /** The resource of a row whose spec is already in hand (a job just accepted): the stored spec is not parsed. */
    public JobResource toResource(JobRow row, JobSpec spec) {
        JobState status = row.status() == null ? JobState.SUBMITTED : WireNames.parse(JobState.class, row.status());
        List<ResultLink> outputs = row.outputsJson() == null ? List.of()
                : readList(row.outputsJson()).stream().map(links::link).toList();
        return new JobResource(
                row.id(),
                WireNames.parse(JobKind.class, row.kind()),
                status,
                row.attempt() == null ? 0 : row.attempt(),
                row.createdAt(),
                row.queuedAt(),
                row.startedAt(),
                row.completedAt(),
                row.progressJson() == null ? null : read(row.progressJson(), Progress.class),
                spec,
                outputs,
                row.producedModel() == null ? null : ModelRef.parse(row.producedModel()),
                row.errorJson() == null ? null : read(row.errorJson(), JobError.class),
                new JobMetrics(seconds(row.createdAt(), row.startedAt()), seconds(row.startedAt(), row.completedAt())),
                row.cancelRequestedAt() != null);
    }

    private static Double seconds(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to).toNanos() / 1e9;
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is unreadable: " + text, e);
        }
    }

    private List<JobOutput> readList(String text) {
        try {
            return json.readValue(text, OUTPUTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored outputs are unreadable: " + text, e);
        }
    }
}
