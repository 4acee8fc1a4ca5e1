package io.stipple.gateway.rest.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.stipple.gateway.mapping.WireNames;
import io.stipple.gateway.rest.model.Problem;
import io.stipple.gateway.rest.model.Problem.FieldError;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** Renders every failure as an RFC 9457 problem document, naming the offending field where there is one. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** Long enough for a database or object-store restart; short enough that clients come back soon. */
    static final long OUTAGE_RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem e, UriInfo uri) {
        return render(e, uri);
    }

    /** The problem document of {@code e}, with its Retry-After header where it has one. */
    static Response render(ApiProblem e, UriInfo uri) {
        Response.ResponseBuilder response = respond(e.status(), e.type().toString(), e.title(), e.getMessage(), uri,
                e.errors());
        if (e.retryAfterSeconds() != null) {
            response.header("Retry-After", e.retryAfterSeconds());
        }
        return response.build();
    }

    @ServerExceptionMapper
    public Response constraintViolations(ConstraintViolationException e, UriInfo uri) {
        List<FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new FieldError(FieldPaths.ofViolation(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + " " + f.message()).collect(Collectors.joining("; "));
        return problem(422, "validation", "Invalid request", detail, uri, errors).build();
    }

    @ServerExceptionMapper(priority = 1)
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        if (e instanceof JsonMappingException mapping) {
            return mappingProblem(mapping, uri);
        }
        String detail = e instanceof StreamReadException read && read.getLocation() != null
                ? "malformed JSON at line " + read.getLocation().getLineNr() + ", column "
                        + read.getLocation().getColumnNr() + ": " + e.getOriginalMessage()
                : "malformed JSON: " + e.getOriginalMessage();
        return problem(400, "malformed-json", "Malformed JSON", detail, uri, List.of()).build();
    }

    /** Declared for this exact type so that it replaces quarkus-rest-jackson's own (non-problem) mapper. */
    @ServerExceptionMapper(priority = 1)
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return mappingProblem(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response invalidMapping(JsonMappingException e, UriInfo uri) {
        return mappingProblem(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json, uri);
        }
        if (status == 413) {
            // From the HTTP layer: a body past max-body-size sent chunked, or a multipart part without a
            // filename (read as a form field) past the form field limit.
            return apiProblem(ApiProblem.payloadTooLarge("the request body, or a form field in it (a multipart "
                    + "part without a filename is read as one), is over its size limit"), uri);
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        return problem(status, "http-" + status, title, e.getMessage(), uri, List.of()).build();
    }

    @ServerExceptionMapper(priority = 10)
    public Response unexpected(Throwable e, UriInfo uri) {
        ApiProblem multipart = MultipartFailures.problemFor(e);
        if (multipart != null) {
            // The client's fault, expected: answered, not logged as a failure.
            return apiProblem(multipart, uri);
        }
        String away = Outages.dependencyAway(e);
        if (away != null) {
            LOG.warnf("%s on %s: %s is not answering: %s", 503, uri == null ? "?" : uri.getPath(), away, e);
            return apiProblem(ApiProblem.unavailable(away + " is not answering; retry shortly", OUTAGE_RETRY_AFTER_SECONDS), uri);
        }
        LOG.error("unexpected failure on " + uri.getPath(), e);
        return problem(500, "internal", "Internal error", "an unexpected error occurred; it has been logged", uri,
                List.of()).build();
    }

    private Response mappingProblem(JsonMappingException e, UriInfo uri) {
        String field = FieldPaths.ofJsonPath(e.getPath());
        String message;
        if (e instanceof UnrecognizedPropertyException) {
            message = "is not a known field";
        } else if (e instanceof InvalidNullException) {
            message = "must not be null";
        } else if (e instanceof InvalidFormatException format && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            message = "must be one of " + Arrays.stream(format.getTargetType().getEnumConstants())
                    .map(c -> WireNames.of((Enum<?>) c)).toList() + ", got " + quote(format.getValue());
        } else if (e instanceof InvalidFormatException format && format.getTargetType() == String.class) {
            message = format.getOriginalMessage();
        } else if (e instanceof InvalidFormatException format && format.getValue() instanceof Number
                && format.getTargetType() != null) {
            message = "is out of range: must be " + TypeNames.describe(format.getTargetType()) + " that fits "
                    + format.getTargetType().getSimpleName();
        } else if (e instanceof ValueInstantiationException instantiation && instantiation.getCause() != null) {
            message = rootMessage(instantiation);
        } else if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            message = "must be " + TypeNames.describe(mismatch.getTargetType());
        } else {
            message = "is invalid: " + e.getOriginalMessage();
        }
        if (field.isEmpty()) {
            return problem(400, "malformed-json", "Malformed JSON", "the body " + message, uri, List.of()).build();
        }
        return problem(400, "invalid-json-value", "Invalid JSON value", field + " " + message, uri,
                List.of(new FieldError(field, message))).build();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return "is invalid: " + root.getMessage();
    }

    private static String quote(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    private static Response.ResponseBuilder problem(int status, String slug, String title, String detail, UriInfo uri,
            List<FieldError> errors) {
        return respond(status, ProblemTypes.of(slug).toString(), title, detail, uri, errors);
    }

    private static Response.ResponseBuilder respond(int status, String type, String title, String detail, UriInfo uri,
            List<FieldError> errors) {
        Problem problem = new Problem(java.net.URI.create(type), title, status, detail,
                uri == null ? null : uri.getPath(), errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(problem);
    }
}
