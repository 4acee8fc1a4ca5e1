package io.stipple.engine.data.user;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/** The files of an uploaded dataset, by relative path with '/' separators: a folder or a zip. */
interface DatasetSource extends Closeable {

    /** Relative paths of all regular files, within the file-count limit. */
    List<String> files() throws IOException;

    /** The file's bytes; fails if it is larger than {@code maxBytes}. */
    byte[] read(String file, long maxBytes) throws IOException;
}
