package io.stipple.engine.model;

/** A request for an image size the model cannot sample (bad input: the message names the sizes it accepts). */
public final class UnsupportedImageSizeException extends IllegalArgumentException {

    public UnsupportedImageSizeException(String message) {
        super(message);
    }
}
