package io.stipple.contracts;

/** A message that is not valid JSON for its contract (wrong type, missing required field, bad enum value...). */
public class MalformedMessageException extends IllegalArgumentException {

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
