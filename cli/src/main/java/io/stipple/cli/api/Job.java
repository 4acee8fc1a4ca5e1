package io.stipple.cli.api;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;

/**
 * A job as {@code GET /v1/jobs/{id}} shows it; only the fields the CLI uses are named, the rest
 * of the document is ignored.
 *
 * @param input         the request as the server resolved it (defaults applied, seed chosen)
 * @param producedModel {@code name@version} of the model a succeeded fine-tune registered
 */
public record Job(String id, String kind, String status, int attempt, String createdAt, Progress progress, JsonNode input,
        List<Output> outputs, String producedModel, JobError error, boolean cancelRequested) {

    public static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled");

    public boolean finished() {
        return TERMINAL.contains(status);
    }

    public List<Output> outputs() {
        return outputs == null ? List.of() : outputs;
    }

    /** One result: {@code url} is a short-lived presigned link to it. */
    public record Output(String key, String contentType, long sizeBytes, String url) {
    }

    public record JobError(String reason, boolean retryable) {
    }
}
