package io.stipple.scheduler.rest;

import io.stipple.scheduler.config.AdminConfig;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Guards the operator endpoints: a resource whose {@code @Path} starts with {@code /admin} answers only a
 * request carrying {@code Authorization: Bearer <stipple.admin.token>}. The check runs after matching, on the
 * resource that matched, so no spelling of the path (encoded, doubled slashes, dot segments) slips past it.
 * Missing or wrong token: 401; no token configured: 403 (the endpoints are off). Both are problem documents.
 */
public class AdminTokenFilter {

    /** Shorter tokens stop the scheduler at start: an operator credential must not be guessable. */
    public static final int MIN_TOKEN_LENGTH = 24;
    static final String ADMIN_PATH = "/admin";

    private final Optional<byte[]> expectedDigest;

    public AdminTokenFilter(AdminConfig config) {
        config.token().filter(token -> token.length() < MIN_TOKEN_LENGTH).ifPresent(token -> {
            throw new IllegalStateException("stipple.admin.token (STIPPLE_ADMIN_TOKEN) must have at least "
                    + MIN_TOKEN_LENGTH + " characters, has " + token.length());
        });
        this.expectedDigest = config.token().map(AdminTokenFilter::digest);
    }

    @ServerRequestFilter
    public Optional<Response> requireToken(ContainerRequestContext request, ResourceInfo resource) {
        if (!isAdmin(resource)) {
            return Optional.empty();
        }
        if (expectedDigest.isEmpty()) {
            return Optional.of(AdminProblems.disabled());
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(AdminProblems.unauthorized("this endpoint needs Authorization: Bearer <admin token>"));
        }
        // Compared as SHA-256 digests with MessageDigest.isEqual: constant time, and the token's length does not leak.
        if (!MessageDigest.isEqual(expectedDigest.get(), digest(authorization.substring(7).strip()))) {
            return Optional.of(AdminProblems.unauthorized("the admin token is wrong"));
        }
        return Optional.empty();
    }

    private static boolean isAdmin(ResourceInfo resource) {
        Class<?> type = resource.getResourceClass();
        Path path = type == null ? null : type.getAnnotation(Path.class);
        if (path == null) {
            return false;
        }
        String value = path.value().startsWith("/") ? path.value() : "/" + path.value();
        return value.equals(ADMIN_PATH) || value.startsWith(ADMIN_PATH + "/");
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
