package io.stipple.gateway.service.rejection;

/** A model import names a version the tenant can already name (bundled, fine-tuned or imported). */
public final class ModelExistsException extends RequestRejectedException {

    public ModelExistsException(String detail) {
        super(detail);
    }
}
