package io.stipple.gateway.auth;

import io.smallrye.mutiny.Uni;
import io.stipple.gateway.rest.problem.ApiProblem;
import io.stipple.gateway.service.RateLimiter;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every {@code /v1} request by its {@code Authorization: Bearer <api key>} header
 * and applies the tenant's request-rate limit.
 */
public class ApiKeyFilter {

    private static final String BEARER = "Bearer ";

    private final ApiKeyLookup keys;
    private final Caller caller;
    private final RateLimiter rateLimiter;

    public ApiKeyFilter(ApiKeyLookup keys, Caller caller, RateLimiter rateLimiter) {
        this.keys = keys;
        this.caller = caller;
        this.rateLimiter = rateLimiter;
    }

    @ServerRequestFilter
    public Uni<Void> authenticate(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/v1/")) {
            return Uni.createFrom().voidItem();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.startsWith(BEARER)) {
            return Uni.createFrom().failure(ApiProblem.unauthorized("send an API key as 'Authorization: Bearer <key>'"));
        }
        String key = header.substring(BEARER.length()).trim();
        String prefix = ApiKeys.prefixOf(key);
        if (prefix == null) {
            return Uni.createFrom().failure(ApiProblem.unauthorized("the API key is not valid"));
        }
        return keys.findActiveKey(prefix).map(row -> {
            if (!ApiKeys.verify(key, row == null ? null : row.keyHash())) {
                throw ApiProblem.unauthorized("the API key is not valid");
            }
            rateLimiter.acquire(row.tenantId());
            caller.authenticate(row.tenantId(), row.maxActiveJobs());
            return null;
        });
    }
}
