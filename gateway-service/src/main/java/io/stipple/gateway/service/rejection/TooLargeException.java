package io.stipple.gateway.service.rejection;

/** Content over a size limit (an uploaded file's bytes). */
public final class TooLargeException extends RequestRejectedException {

    public TooLargeException(String detail) {
        super(detail);
    }
}
