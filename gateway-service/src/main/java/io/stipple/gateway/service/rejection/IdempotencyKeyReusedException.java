package io.stipple.gateway.service.rejection;

/** An Idempotency-Key already used with a different request body. */
public final class IdempotencyKeyReusedException extends RequestRejectedException {

    public IdempotencyKeyReusedException() {
        super("this Idempotency-Key was already used with a different request body");
    }
}
