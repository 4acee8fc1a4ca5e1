package io.stipple.gateway.service;

import io.quarkus.runtime.StartupEvent;
import io.stipple.gateway.auth.ApiKeys;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.repository.TenantRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.UUID;

/**
 * Optionally makes sure one tenant with a known API key exists at start
 * ({@code stipple.gateway.bootstrap.tenant} + {@code .api-key}; test stacks may add more with
 * {@code .more-tenants.<id>=<key>}), so that a local run can be used
 * at once with a key from its configuration. Unset in production: there, keys come from the
 * {@code create-tenant} command and are never written in configuration.
 */
@ApplicationScoped
public class BootstrapTenant {

    private static final Logger LOG = Logger.getLogger(BootstrapTenant.class);

    private final GatewayConfig config;
    private final TenantRepository tenants;

    public BootstrapTenant(GatewayConfig config, TenantRepository tenants) {
        this.config = config;
        this.tenants = tenants;
    }

    void onStart(@Observes StartupEvent event) {
        GatewayConfig.Bootstrap bootstrap = config.bootstrap();
        if (bootstrap.tenant().isPresent() && bootstrap.apiKey().isPresent()) {
            ensure(bootstrap.tenant().get(), bootstrap.apiKey().get());
        }
        bootstrap.moreTenants().forEach(this::ensure);
    }

    private void ensure(String tenantId, String key) {
        String prefix = ApiKeys.prefixOf(key);
        if (prefix == null) {
            throw new IllegalArgumentException("the bootstrap API key of tenant " + tenantId + " must look like stp_<12 hex digits>_<secret>");
        }
        tenants.pool().withTransaction(conn -> tenants.insertTenant(conn, tenantId, tenantId, null)
                        .chain(() -> tenants.insertKeyIfAbsent(conn, UUID.randomUUID(), tenantId, prefix, ApiKeys.hash(key))))
                .await().atMost(Duration.ofSeconds(60));
        LOG.infof("bootstrap tenant '%s' is ready with the configured API key (prefix %s)", tenantId, prefix);
    }
}
