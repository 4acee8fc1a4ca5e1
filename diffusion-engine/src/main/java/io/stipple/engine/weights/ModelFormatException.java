package io.stipple.engine.weights;

/** A model directory or SavedModel that does not have the format of docs/model-format.md. */
public final class ModelFormatException extends RuntimeException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
