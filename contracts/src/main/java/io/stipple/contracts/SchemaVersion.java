package io.stipple.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Version of the contracts' JSON shape, written as {@code "major.minor"} on every message.
 *
 * <p>A minor bump only adds optional fields (older readers ignore them, see {@link ContractsJson});
 * a major bump changes meaning, so a reader refuses messages of a newer major version instead of
 * misreading them.
 */
public record SchemaVersion(int major, int minor) implements Comparable<SchemaVersion> {

    /** The version this build writes and fully understands. */
    public static final SchemaVersion CURRENT = new SchemaVersion(1, 3);

    public SchemaVersion {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("schema version parts must be >= 0, got " + major + "." + minor);
        }
    }

    @JsonCreator
    public static SchemaVersion parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("schema_version is missing");
        }
        int dot = text.indexOf('.');
        try {
            if (dot < 0) {
                return new SchemaVersion(Integer.parseInt(text), 0);
            }
            return new SchemaVersion(Integer.parseInt(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("schema_version must look like \"1.0\", got \"" + text + "\"", e);
        }
    }

    /**
     * Fails with {@link UnsupportedSchemaVersionException} when {@code version} is missing or of a
     * newer major version than {@link #CURRENT}; called by every message's constructor, so a
     * message this build cannot understand never gets past deserialization.
     */
    public static void requireReadable(SchemaVersion version, String messageType) {
        if (version == null) {
            throw new UnsupportedSchemaVersionException(messageType + ": schema_version is missing");
        }
        if (version.major > CURRENT.major) {
            throw new UnsupportedSchemaVersionException(messageType + " has schema_version " + version
                    + " but this build reads major version " + CURRENT.major + " only (up to " + CURRENT
                    + "); upgrade this service before consuming it");
        }
    }

    @Override
    public int compareTo(SchemaVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @JsonValue
    @Override
    public String toString() {
        return major + "." + minor;
    }
}
