package io.stipple.storage;

/** The object store refused or failed a request; the message names the operation and the key. */
public class ObjectStoreException extends RuntimeException {

    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
