package io.stipple.gateway.service.rejection;

/** The gateway is at a bound of its own (uploads processed at once); worth retrying after {@link #retryAfterSeconds()}. */
public final class BusyException extends RequestRejectedException {

    private final long retryAfterSeconds;

    public BusyException(String detail, long retryAfterSeconds) {
        super(detail);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
