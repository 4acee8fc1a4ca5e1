package io.stipple.gateway.repository;

import java.time.Instant;
import java.util.UUID;

/**
 * Conditions of a job listing; null means "any".
 *
 * @param afterCreatedAt with {@code afterId}: the last job of the previous page (keyset pagination)
 */
public record JobFilter(String status, String kind, Instant afterCreatedAt, UUID afterId) {
}
