package io.stipple.gateway.rest.model;

import io.stipple.contracts.event.Progress;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.spec.JobSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.status.JobError;
import io.stipple.contracts.status.JobState;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A job as clients see it.
 *
 * @param input the request as resolved by the server (every default applied, the seed chosen)
 */
@Schema(name = "Job")
public record JobResource(
        UUID id,
        JobKind kind,
        JobState status,
        int attempt,
        Instant createdAt,
        Instant queuedAt,
        Instant startedAt,
        Instant completedAt,
        Progress progress,
        JobSpec input,
        List<ResultLink> outputs,
        ModelRef producedModel,
        JobError error,
        JobMetrics metrics,
        boolean cancelRequested) {
}
