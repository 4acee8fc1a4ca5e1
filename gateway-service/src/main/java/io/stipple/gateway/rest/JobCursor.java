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

    /**
     * Instants a job can have been created at: PostgreSQL's timestamptz holds years 4713 BC to 294276 AD,
     * Java's Instant far more, so a forged cursor outside this window would fail in the query (a 500).
     */
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    static JobCursor decode(String cursor) {
        JobCursor decoded;
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = text.indexOf('|');
            decoded = new JobCursor(Instant.parse(text.substring(0, bar)), UUID.fromString(text.substring(bar + 1)));
        } catch (RuntimeException e) {
            throw notOurs();
        }
        // What this API returns encodes back to itself: this refuses out-of-range instants and the lenient
        // forms the parsers accept (a UUID written 1-1-1-1-1, a padded or re-encoded cursor).
        boolean inRange = !decoded.createdAt().isBefore(EARLIEST) && !decoded.createdAt().isAfter(LATEST);
        if (!inRange || !decoded.encode().equals(cursor)) {
            throw notOurs();
        }
        return decoded;
    }

    private static ApiProblem notOurs() {
        return ApiProblem.invalidField("cursor", "is not a cursor this API returned");
    }
}
