package io.stipple.gateway.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.smallrye.mutiny.Uni;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.repository.ApiKeyRow;
import io.stipple.gateway.repository.TenantRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.function.Function;

/**
 * Finds the stored row of an API key by its prefix, remembering found rows for
 * {@code stipple.gateway.api-key-cache.ttl}: without it every request paid a database round trip
 * before its own work. Only the row is remembered, never a verdict: the caller still hashes the
 * presented key and compares it with the row's hash, so a wrong secret under a known prefix is refused
 * as before. Unknown prefixes are not remembered (a flood of made-up keys cannot push real ones out,
 * and a key created a moment ago works at once). A revoked key stops working within the TTL on every
 * replica; {@link #forget} makes it immediate on this one.
 */
@ApplicationScoped
public class ApiKeyLookup {

    private final Function<String, Uni<ApiKeyRow>> load;
    private final Cache<String, ApiKeyRow> rows;

    @Inject
    public ApiKeyLookup(TenantRepository tenants, GatewayConfig config) {
        this(tenants::findActiveKey, config.apiKeyCache().ttl(), config.apiKeyCache().maxKeys(), Ticker.systemTicker());
    }

    ApiKeyLookup(Function<String, Uni<ApiKeyRow>> load, Duration ttl, int maxKeys, Ticker ticker) {
        this.load = load;
        this.rows = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(ttl.isZero() ? 0 : maxKeys)
                .ticker(ticker)
                .build();
    }

    /** The active key with this prefix, or null. */
    public Uni<ApiKeyRow> findActiveKey(String prefix) {
        ApiKeyRow remembered = rows.getIfPresent(prefix);
        if (remembered != null) {
            return Uni.createFrom().item(remembered);
        }
        return load.apply(prefix).invoke(row -> {
            if (row != null) {
                rows.put(prefix, row);
            }
        });
    }

    /** Drops what is remembered of a key (after revoking it here, so this replica refuses it at once). */
    public void forget(String prefix) {
        rows.invalidate(prefix);
    }
}
