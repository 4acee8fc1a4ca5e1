package io.stipple.engine.training;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A flat key-to-file store that outlives one process: a folder locally, the object store in the
 * services. Keys are '/'-separated relative names; the store decides where they live.
 */
public interface Blobs {

    void put(String key, Path file) throws IOException;

    /** Copies the blob into {@code target} (replacing it); false when there is no such key. */
    boolean get(String key, Path target) throws IOException;

    /** Removes the blob; no error when it is absent. */
    void delete(String key) throws IOException;
}
