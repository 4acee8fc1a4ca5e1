package io.stipple.cli.api;

/** No API key was given by flag, environment or config file. */
public class MissingApiKeyException extends RuntimeException {

    public MissingApiKeyException(String message) {
        super(message);
    }
}
