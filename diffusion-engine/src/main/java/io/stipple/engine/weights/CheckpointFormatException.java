package io.stipple.engine.weights;

/**
 * A checkpoint file that does not follow its format, or a request it cannot answer (an absent
 * tensor, a dtype that cannot be converted). The message names the file and, where one is
 * involved, the tensor.
 */
public final class CheckpointFormatException extends RuntimeException {

    public CheckpointFormatException(String message) {
        super(message);
    }

    public CheckpointFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
