package io.stipple.gateway.service.rejection;

/** Content of a kind the service does not take (a file that is no PNG or JPEG image). */
public final class UnsupportedMediaException extends RequestRejectedException {

    private final String field;

    public UnsupportedMediaException(String field, String detail) {
        super(detail);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
