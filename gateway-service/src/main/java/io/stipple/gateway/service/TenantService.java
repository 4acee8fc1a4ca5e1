package io.stipple.gateway.service;

import io.smallrye.mutiny.Uni;
import io.stipple.gateway.auth.ApiKeys;
import io.stipple.gateway.repository.TenantRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;
import java.util.regex.Pattern;

/** Creates tenants and issues their API keys. */
@ApplicationScoped
public class TenantService {

    private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private final TenantRepository tenants;

    public TenantService(TenantRepository tenants) {
        this.tenants = tenants;
    }

    /**
     * Creates the tenant if it does not exist yet and issues a new key for it.
     *
     * @return the key in clear text: it is shown once and never stored
     */
    public Uni<String> createWithKey(String tenantId, String displayName, Integer maxActiveJobs) {
        if (!TENANT_ID.matcher(tenantId).matches()) {
            return Uni.createFrom().failure(new IllegalArgumentException(
                    "tenant id must match " + TENANT_ID + ", got \"" + tenantId + "\""));
        }
        ApiKeys.GeneratedKey key = ApiKeys.generate();
        return tenants.pool().withTransaction(conn -> tenants.insertTenant(conn, tenantId,
                        displayName == null ? tenantId : displayName, maxActiveJobs)
                .chain(() -> tenants.insertKey(conn, UUID.randomUUID(), tenantId, key.prefix(), key.hash())))
                .replaceWith(key.key());
    }
}
