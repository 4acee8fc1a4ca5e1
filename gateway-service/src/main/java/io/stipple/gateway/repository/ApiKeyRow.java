package io.stipple.gateway.repository;

/** A stored API key: whose it is, the SHA-256 of its secret, and the tenant's own job limit (null: default). */
public record ApiKeyRow(String tenantId, byte[] keyHash, Integer maxActiveJobs) {
}
