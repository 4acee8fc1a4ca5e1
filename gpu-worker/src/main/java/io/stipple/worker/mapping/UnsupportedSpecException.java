package io.stipple.worker.mapping;

/** The spec asks for something this worker does not do (yet): retrying cannot help. */
public class UnsupportedSpecException extends RuntimeException {

    public UnsupportedSpecException(String message) {
        super(message);
    }
}
