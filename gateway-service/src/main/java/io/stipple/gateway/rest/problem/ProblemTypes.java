package io.stipple.gateway.rest.problem;

import java.net.URI;

/** The {@code type} URIs of Stipple's problem documents. */
public final class ProblemTypes {

    private static final String PREFIX = "urn:stipple:problem:";

    private ProblemTypes() {
    }

    public static URI of(String slug) {
        return URI.create(PREFIX + slug);
    }
}
