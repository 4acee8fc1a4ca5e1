package io.stipple.contracts.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.regex.Pattern;

/** A model version, written {@code name@version} in JSON, e.g. {@code "stipple-base@1"}. */
public record ModelRef(String name, String version) {

    private static final Pattern PART = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public ModelRef {
        if (name == null || !PART.matcher(name).matches()) {
            throw new IllegalArgumentException("model name must match " + PART + ", got \"" + name + "\"");
        }
        if (version == null || !PART.matcher(version).matches()) {
            throw new IllegalArgumentException("model version must match " + PART + ", got \"" + version + "\"");
        }
    }

    @JsonCreator
    public static ModelRef parse(String text) {
        int at = text == null ? -1 : text.indexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("model must be written name@version, got \"" + text + "\"");
        }
        return new ModelRef(text.substring(0, at), text.substring(at + 1));
    }

    @JsonValue
    @Override
    public String toString() {
        return name + "@" + version;
    }
}
