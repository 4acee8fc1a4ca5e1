package io.stipple.engine.data.user;

import java.io.IOException;
import java.io.InputStream;

/** Reads a stream whole, but refuses to hold more than a limit (zip entries can lie about size). */
final class BoundedRead {

    private BoundedRead() {
    }

    static byte[] readAtMost(InputStream in, long maxBytes) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
            throw new IOException("larger than " + maxBytes + " bytes");
        }
        return bytes;
    }
}
