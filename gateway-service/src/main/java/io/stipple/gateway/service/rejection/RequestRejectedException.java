package io.stipple.gateway.service.rejection;

/**
 * A request the service layer refuses for a reason the client can act on. Services throw these
 * domain exceptions and know nothing of HTTP; the REST layer maps each kind to its problem
 * document in one place (rest.problem.RejectionMappers).
 */
public abstract sealed class RequestRejectedException extends RuntimeException
        permits InvalidFieldException, ResourceNotFoundException, JobFinishedException,
        IdempotencyKeyReusedException, RateLimitedException, TooLargeException, UnsupportedMediaException,
        ModelExistsException, BusyException {

    protected RequestRejectedException(String message) {
        super(message, null, false, false);
    }
}
