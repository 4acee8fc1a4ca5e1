package io.stipple.scheduler.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/**
 * The operator endpoints' credential, under {@code stipple.admin.*} (not {@code scheduler.*}): the gateway's
 * {@code create-tenant} command presents the same token, so one setting, {@code STIPPLE_ADMIN_TOKEN}, serves both.
 */
@ConfigMapping(prefix = "stipple.admin")
public interface AdminConfig {

    /**
     * The bearer token {@code /admin/*} requires (at least {@value io.stipple.scheduler.rest.AdminTokenFilter#MIN_TOKEN_LENGTH}
     * characters). Unset: every {@code /admin/*} request is refused (403), the endpoints are off.
     */
    Optional<String> token();
}
