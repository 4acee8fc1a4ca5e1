package io.stipple.gateway.repository;

import java.time.Instant;

/** What an operator may see of a stored API key: its prefix and dates (the secret is never stored). */
public record ApiKeyInfo(String prefix, Instant createdAt, Instant revokedAt) {

    public boolean active() {
        return revokedAt == null;
    }
}
