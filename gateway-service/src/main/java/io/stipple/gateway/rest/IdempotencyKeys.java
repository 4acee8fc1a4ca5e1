package io.stipple.gateway.rest;

import io.stipple.gateway.rest.problem.ApiProblem;

import java.util.regex.Pattern;

/** Checks the shape of an {@code Idempotency-Key} header. */
final class IdempotencyKeys {

    static final String HEADER = "Idempotency-Key";
    private static final Pattern SHAPE = Pattern.compile("[\\x21-\\x7e]{1,255}");

    private IdempotencyKeys() {
    }

    /** Returns the key (null when absent), or fails naming the header. */
    static String check(String key) {
        if (key != null && !SHAPE.matcher(key).matches()) {
            throw ApiProblem.invalidField(HEADER, "must be 1 to 255 visible ASCII characters");
        }
        return key;
    }
}
