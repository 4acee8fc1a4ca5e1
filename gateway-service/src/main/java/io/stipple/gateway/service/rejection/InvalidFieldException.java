package io.stipple.gateway.service.rejection;

/** A field of the request (a body path such as {@code webhook.url}, a header or a part) holds a value the service refuses. */
public final class InvalidFieldException extends RequestRejectedException {

    private final String field;
    private final String reason;

    public InvalidFieldException(String field, String reason) {
        super(field + " " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    /** What is wrong with the field, to follow its name ("must differ from class_noun"). */
    public String reason() {
        return reason;
    }
}
