package io.stipple.gateway.repository;

import java.time.Instant;
import java.util.UUID;

/**
 * A job as stored by the gateway: the accepted request joined with its read-model view (the view
 * fields are null while the scheduler has not reported on the job). Never leaves the gateway; see
 * {@code JobResourceMapper}.
 */
public record JobRow(
        UUID id,
        String tenantId,
        String kind,
        String specJson,
        Instant createdAt,
        Instant cancelRequestedAt,
        String status,
        Integer attempt,
        Long sequence,
        String progressJson,
        String outputsJson,
        String producedModel,
        String errorJson,
        Instant queuedAt,
        Instant startedAt,
        Instant completedAt) {

    /**
     * A job just accepted, as a read would return it: the request, no view yet (status submitted). Its spec
     * is the one in hand ({@code Submission.spec()}), not serialised here only to be parsed back.
     */
    public static JobRow submitted(UUID id, String tenantId, String kind, Instant createdAt) {
        return new JobRow(id, tenantId, kind, null, createdAt, null, null, null, null, null, null, null, null,
                null, null, null);
    }
}
