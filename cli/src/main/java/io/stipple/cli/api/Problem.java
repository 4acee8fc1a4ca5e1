package io.stipple.cli.api;

import java.util.List;

/** An RFC 9457 problem document as the gateway writes it (docs/gateway.md, "Errors"). */
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public record FieldError(String field, String message) {
    }
}
