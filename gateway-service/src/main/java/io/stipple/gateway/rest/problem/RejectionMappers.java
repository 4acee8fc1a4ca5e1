package io.stipple.gateway.rest.problem;

import io.stipple.gateway.service.rejection.BusyException;
import io.stipple.gateway.service.rejection.IdempotencyKeyReusedException;
import io.stipple.gateway.service.rejection.InvalidFieldException;
import io.stipple.gateway.service.rejection.JobFinishedException;
import io.stipple.gateway.service.rejection.ModelExistsException;
import io.stipple.gateway.service.rejection.RateLimitedException;
import io.stipple.gateway.service.rejection.RequestRejectedException;
import io.stipple.gateway.service.rejection.ResourceNotFoundException;
import io.stipple.gateway.service.rejection.TooLargeException;
import io.stipple.gateway.service.rejection.UnsupportedMediaException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The service layer's refusals ({@code service.rejection}) as problem documents: the one place
 * where a domain exception meets HTTP status, problem type and title.
 */
public class RejectionMappers {

    @ServerExceptionMapper
    public Response rejected(RequestRejectedException e, UriInfo uri) {
        return ProblemMappers.render(problemFor(e), uri);
    }

    static ApiProblem problemFor(RequestRejectedException e) {
        if (e instanceof InvalidFieldException invalid) {
            return ApiProblem.invalidField(invalid.field(), invalid.reason());
        }
        if (e instanceof ResourceNotFoundException missing) {
            return ApiProblem.notFound(missing.what());
        }
        if (e instanceof JobFinishedException) {
            return ApiProblem.conflict("job-finished", e.getMessage());
        }
        if (e instanceof ModelExistsException) {
            return ApiProblem.conflict("model-exists", e.getMessage());
        }
        if (e instanceof IdempotencyKeyReusedException) {
            return ApiProblem.idempotencyKeyReused();
        }
        if (e instanceof RateLimitedException limited) {
            return ApiProblem.tooManyRequests(limited.getMessage(), limited.retryAfterSeconds());
        }
        if (e instanceof BusyException busy) {
            return ApiProblem.unavailable(busy.getMessage(), busy.retryAfterSeconds());
        }
        if (e instanceof TooLargeException) {
            return ApiProblem.payloadTooLarge(e.getMessage());
        }
        if (e instanceof UnsupportedMediaException unsupported) {
            return ApiProblem.unsupportedMedia(unsupported.field(), unsupported.getMessage());
        }
        throw new IllegalStateException("no problem type for " + e.getClass().getName());
    }
}
