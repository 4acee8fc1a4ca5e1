package io.stipple.worker.model;

/** The requested model version does not exist anywhere this worker looks, or cannot be loaded: the job cannot succeed. */
public class ModelUnavailableException extends RuntimeException {

    public ModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
