package io.stipple.gateway.service.rejection;

/** The tenant is over a limit (request rate, active jobs); worth retrying after {@link #retryAfterSeconds()}. */
public final class RateLimitedException extends RequestRejectedException {

    private final long retryAfterSeconds;

    public RateLimitedException(String detail, long retryAfterSeconds) {
        super(detail);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
