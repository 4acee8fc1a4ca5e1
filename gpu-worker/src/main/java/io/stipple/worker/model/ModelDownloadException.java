package io.stipple.worker.model;

/**
 * The model version could not be fetched from the object store just now: the store did not answer
 * the listing, or a download broke off (a network blip, the store restarting). Unlike a
 * {@link ModelUnavailableException}, another attempt may pass: a half download is redone then.
 */
public class ModelDownloadException extends RuntimeException {

    public ModelDownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
