package io.stipple.gateway.service.rejection;

/** The tenant has no such resource (or may not see it). */
public final class ResourceNotFoundException extends RequestRejectedException {

    private final String what;

    /** @param what the resource, e.g. {@code job <id>} */
    public ResourceNotFoundException(String what) {
        super(what + " was not found");
        this.what = what;
    }

    public String what() {
        return what;
    }
}
