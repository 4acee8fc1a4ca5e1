package io.stipple.engine.model;

/** A model folder of a family this engine recognises but cannot run (yet); not worth a retry. */
public final class UnsupportedModelFamilyException extends RuntimeException {

    public UnsupportedModelFamilyException(String message) {
        super(message);
    }
}
