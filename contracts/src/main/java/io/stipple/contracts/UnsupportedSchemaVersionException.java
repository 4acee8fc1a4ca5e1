package io.stipple.contracts;

/** A message was written with a schema major version this build does not understand (or without one). */
public class UnsupportedSchemaVersionException extends IllegalArgumentException {

    public UnsupportedSchemaVersionException(String message) {
        super(message);
    }
}
