package io.stipple.gateway.config;

import io.smallrye.config.ConfigMapping;

import java.net.URI;
import java.util.Optional;

/**
 * What the administration commands need to reach the scheduler, under {@code stipple.admin.*}: the same
 * {@code STIPPLE_ADMIN_TOKEN} the scheduler's {@code /admin/*} requires. A serving gateway reads neither.
 */
@ConfigMapping(prefix = "stipple.admin")
public interface AdminConfig {

    /**
     * The scheduler's base URL ({@code http://scheduler-service:8081}). Set, {@code create-tenant} also issues
     * the tenant's webhook signing secret there; unset, it issues the API key alone.
     */
    Optional<URI> schedulerUrl();

    /** Bearer token of the scheduler's {@code /admin/*} ({@code stipple.admin.token} there). */
    Optional<String> token();
}
