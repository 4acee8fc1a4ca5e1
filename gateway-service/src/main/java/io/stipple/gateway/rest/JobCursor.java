package io.stipple.gateway.rest;

import io.stipple.gateway.rest.problem.ApiProblem;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/** Position in the newest-first job listing: the (created_at, id) of the last job shown, opaque to clients. */
record JobCursor(Instant createdAt, UUID id) {

    String encode() {
        String text = createdAt + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static JobCursor decode(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = text.indexOf('|');
            return new JobCursor(Instant.parse(text.substring(0, bar)), UUID.fromString(text.substring(bar + 1)));
        } catch (RuntimeException e) {
            throw ApiProblem.invalidField("cursor", "is not a cursor this API returned");
        }
    }
}
