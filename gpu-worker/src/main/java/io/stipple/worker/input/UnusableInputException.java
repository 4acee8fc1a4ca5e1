package io.stipple.worker.input;

/** A job's input (an uploaded image or mask) cannot be used as it is: retrying cannot help. */
public class UnusableInputException extends RuntimeException {

    public UnusableInputException(String message) {
        super(message);
    }
}
