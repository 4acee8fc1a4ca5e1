package io.stipple.engine.model;

/**
 * Which model this is: its family (how it was loaded) and the name and version that results,
 * caches and generation parameters record.
 */
public record ModelIdentity(ModelFamily family, String name, String version) {

    /** {@code name@version}, as requests and PNG parameters name a model. */
    public String reference() {
        return name + "@" + version;
    }

    @Override
    public String toString() {
        return reference();
    }
}
