package io.stipple.storage;

import java.time.Instant;

/** What the store knows about one object. */
public record ObjectInfo(String key, long size, String etag, Instant lastModified) {
}
