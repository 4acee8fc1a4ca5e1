package io.stipple.stack;

/** A part of the stack could not be started, reached or stopped; the message says which and where its log is. */
public class StackException extends RuntimeException {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
