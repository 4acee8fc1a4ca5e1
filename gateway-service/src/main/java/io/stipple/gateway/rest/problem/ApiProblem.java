package io.stipple.gateway.rest.problem;

import io.stipple.gateway.rest.model.Problem.FieldError;

import java.net.URI;
import java.util.List;

/**
 * A failure that the API answers with a specific problem document; thrown by services and
 * resources, rendered by {@link ProblemMappers}.
 */
public class ApiProblem extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final List<FieldError> errors;
    private final Long retryAfterSeconds;

    private ApiProblem(int status, String slug, String title, String detail, List<FieldError> errors,
            Long retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = errors;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiProblem invalidField(String field, String message) {
        return new ApiProblem(422, "validation", "Invalid request", field + " " + message,
                List.of(new FieldError(field, message)), null);
    }

    /** A body that parses but holds a value no field may have; without a field, a malformed body. */
    public static ApiProblem invalidJsonValue(String field, String message) {
        if (field == null || field.isEmpty()) {
            return new ApiProblem(400, "malformed-json", "Malformed JSON", "the body " + message, List.of(), null);
        }
        return new ApiProblem(400, "invalid-json-value", "Invalid JSON value", field + " " + message,
                List.of(new FieldError(field, message)), null);
    }

    public static ApiProblem notFound(String what) {
        return new ApiProblem(404, "not-found", "Not found", what + " was not found", List.of(), null);
    }

    public static ApiProblem conflict(String slug, String detail) {
        return new ApiProblem(409, slug, "Conflict", detail, List.of(), null);
    }

    public static ApiProblem idempotencyKeyReused() {
        return new ApiProblem(422, "idempotency-key-reused", "Idempotency-Key reused",
                "this Idempotency-Key was already used with a different request body",
                List.of(new FieldError("Idempotency-Key", "was already used with a different request body")), null);
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "unauthorized", "Unauthorized", detail, List.of(), null);
    }

    public static ApiProblem tooManyRequests(String detail, long retryAfterSeconds) {
        return new ApiProblem(429, "rate-limited", "Too many requests", detail, List.of(), Math.max(1, retryAfterSeconds));
    }

    public static ApiProblem payloadTooLarge(String detail) {
        return new ApiProblem(413, "payload-too-large", "Payload too large", detail, List.of(), null);
    }

    public static ApiProblem malformedMultipart(String detail) {
        return new ApiProblem(400, "malformed-multipart", "Malformed multipart body", detail, List.of(), null);
    }

    public static ApiProblem lengthRequired(String detail) {
        return new ApiProblem(411, "length-required", "Length required", detail, List.of(), null);
    }

    /** A service the request needs (the database, the object store) is not answering; worth retrying later. */
    public static ApiProblem unavailable(String detail, long retryAfterSeconds) {
        return new ApiProblem(503, "service-unavailable", "Service unavailable", detail, List.of(), retryAfterSeconds);
    }

    public static ApiProblem unsupportedMedia(String field, String detail) {
        return new ApiProblem(415, "unsupported-media-type", "Unsupported media type", detail,
                List.of(new FieldError(field, detail)), null);
    }

    public int status() {
        return status;
    }

    public URI type() {
        return ProblemTypes.of(slug);
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    /** Seconds for the Retry-After header, or null. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
