package io.stipple.scheduler.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** The operator endpoints' credential, under {@code stipple.admin.*} ({@code STIPPLE_ADMIN_TOKEN}). */
@ConfigMapping(prefix = "stipple.admin")
public interface AdminConfig {

    /**
     * The bearer token {@code /admin/*} requires (at least {@value io.stipple.scheduler.rest.AdminTokenFilter#MIN_TOKEN_LENGTH}
     * characters). Unset: every {@code /admin/*} request is refused (403), the endpoints are off.
     */
    Optional<String> token();
}
