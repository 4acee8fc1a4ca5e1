package io.stipple.gateway.service;

import io.smallrye.mutiny.Uni;
import io.stipple.gateway.auth.ApiKeyLookup;
import io.stipple.gateway.auth.ApiKeys;
import io.stipple.gateway.repository.ApiKeyInfo;
import io.stipple.gateway.repository.TenantRepository;
import io.stipple.gateway.webhook.WebhookKeys;
import io.stipple.gateway.webhook.WebhookKeys.IssuedSecret;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Creates tenants, issues, lists and revokes their API keys, and issues their webhook signing secrets. */
@ApplicationScoped
public class TenantService {

    private static final Pattern TENANT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** A key named by its prefix: {@code stp_<12 hex>}, the 12 hex digits alone, or the whole key. */
    private static final Pattern NAMED_KEY = Pattern.compile("(?:stp_)?([0-9a-f]{12})(?:_.+)?");

    private final TenantRepository tenants;
    private final ApiKeyLookup keyLookup;
    private final WebhookKeys webhookKeys;

    public TenantService(TenantRepository tenants, ApiKeyLookup keyLookup, WebhookKeys webhookKeys) {
        this.tenants = tenants;
        this.keyLookup = keyLookup;
        this.webhookKeys = webhookKeys;
    }

    /** A tenant's new API key and webhook signing secret, both in clear text, shown once. */
    public record Credentials(String apiKey, IssuedSecret webhookSecret) {
    }

    /**
     * Creates the tenant if it does not exist yet and issues a new key for it.
     *
     * @return the key in clear text: it is shown once and never stored
     */
    public Uni<String> createWithKey(String tenantId, String displayName, Integer maxActiveJobs) {
        return create(tenantId, displayName, maxActiveJobs, false).map(Credentials::apiKey);
    }

    /**
     * Creates the tenant if it does not exist yet and issues a new key and a new webhook signing secret for it
     * (for an existing tenant: a rotation, its previous secrets sign for the grace period more), in one
     * transaction: both or neither.
     */
    public Uni<Credentials> createWithKeyAndWebhookSecret(String tenantId, String displayName, Integer maxActiveJobs) {
        return create(tenantId, displayName, maxActiveJobs, true);
    }

    /** Issues (rotates) an existing tenant's webhook signing secret; fails with {@link IllegalArgumentException} for an unknown one. */
    public Uni<IssuedSecret> rotateWebhookSecret(String tenantId) {
        return tenants.pool().withTransaction(conn -> webhookKeys.rotate(conn, tenantId));
    }

    private Uni<Credentials> create(String tenantId, String displayName, Integer maxActiveJobs, boolean withWebhookSecret) {
        if (!TENANT_ID.matcher(tenantId).matches()) {
            return Uni.createFrom().failure(new IllegalArgumentException(
                    "tenant id must match " + TENANT_ID + ", got \"" + tenantId + "\""));
        }
        ApiKeys.GeneratedKey key = ApiKeys.generate();
        return tenants.pool().withTransaction(conn -> tenants.insertTenant(conn, tenantId,
                        displayName == null ? tenantId : displayName, maxActiveJobs)
                .chain(() -> tenants.insertKey(conn, UUID.randomUUID(), tenantId, key.prefix(), key.hash()))
                .chain(() -> withWebhookSecret ? webhookKeys.rotate(conn, tenantId) : Uni.createFrom().<IssuedSecret>nullItem())
                .map(secret -> new Credentials(key.key(), secret)));
    }

    /** The tenant's keys, oldest first; empty for a tenant without keys or an unknown one. */
    public Uni<List<ApiKeyInfo>> keys(String tenantId) {
        return tenants.keysOf(tenantId);
    }

    /**
     * Revokes a key, named by its prefix ({@code stp_<12 hex>}, the 12 hex digits alone, or the whole
     * key). This process forgets the key's row at once; other gateway processes refuse the key once their
     * remembered row expires ({@code stipple.gateway.api-key-cache.ttl}, 5 s).
     *
     * @return the tenant whose key it was; fails with {@link IllegalArgumentException} when the text names
     *         no key, and {@link java.util.NoSuchElementException} when no active key has the prefix
     */
    public Uni<String> revoke(String keyOrPrefix) {
        String prefix = prefixIn(keyOrPrefix);
        if (prefix == null) {
            return Uni.createFrom().failure(new IllegalArgumentException(
                    "name a key by its prefix, stp_ and 12 hex digits (as list-keys shows it), got \"" + keyOrPrefix + "\""));
        }
        return tenants.revokeKey(prefix).onItem().ifNull().failWith(() -> new NoSuchElementException(
                        "no active key has the prefix stp_" + prefix + " (list-keys shows a tenant's keys)"))
                .invoke(tenant -> keyLookup.forget(prefix));
    }

    private static String prefixIn(String text) {
        Matcher named = text == null ? null : NAMED_KEY.matcher(text);
        return named != null && named.matches() ? named.group(1) : null;
    }
}
