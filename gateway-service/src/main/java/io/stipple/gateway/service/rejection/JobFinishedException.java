package io.stipple.gateway.service.rejection;

/** An operation on a job that only unfinished jobs allow (cancel). */
public final class JobFinishedException extends RequestRejectedException {

    public JobFinishedException(String detail) {
        super(detail);
    }
}
