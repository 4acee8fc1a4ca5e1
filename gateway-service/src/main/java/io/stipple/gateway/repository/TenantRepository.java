package io.stipple.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Tenants and their API keys. */
@ApplicationScoped
public class TenantRepository {

    private final Pool pool;

    public TenantRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    public Uni<Boolean> insertTenant(SqlClient client, String id, String displayName, Integer maxActiveJobs) {
        return client.preparedQuery("""
                        insert into gateway.tenants (id, display_name, max_active_jobs) values ($1, $2, $3)
                        on conflict (id) do nothing returning id""")
                .execute(Tuple.of(id, displayName, maxActiveJobs))
                .map(rows -> rows.size() > 0);
    }

    public Uni<Void> insertKey(SqlClient client, UUID id, String tenantId, String prefix, byte[] hash) {
        return client.preparedQuery("""
                        insert into gateway.api_keys (id, tenant_id, key_prefix, key_hash) values ($1, $2, $3, $4)""")
                .execute(Tuple.of(id, tenantId, prefix, Buffer.buffer(hash)))
                .replaceWithVoid();
    }

    /** Stores the key unless a key with its prefix exists (restarts with the same configured key). */
    public Uni<Void> insertKeyIfAbsent(SqlClient client, UUID id, String tenantId, String prefix, byte[] hash) {
        return client.preparedQuery("""
                        insert into gateway.api_keys (id, tenant_id, key_prefix, key_hash) values ($1, $2, $3, $4)
                        on conflict (key_prefix) do nothing""")
                .execute(Tuple.of(id, tenantId, prefix, Buffer.buffer(hash)))
                .replaceWithVoid();
    }

    /** The tenant's keys, oldest first. */
    public Uni<List<ApiKeyInfo>> keysOf(String tenantId) {
        return pool.preparedQuery("""
                        select key_prefix, created_at, revoked_at from gateway.api_keys
                         where tenant_id = $1 order by created_at, key_prefix""")
                .execute(Tuple.of(tenantId))
                .map(rows -> {
                    List<ApiKeyInfo> keys = new ArrayList<>();
                    rows.forEach(r -> keys.add(new ApiKeyInfo(r.getString("key_prefix"),
                            r.getOffsetDateTime("created_at").toInstant(), instant(r.getOffsetDateTime("revoked_at")))));
                    return keys;
                });
    }

    /** Revokes the active key with this prefix; the tenant it belonged to, or null when no active key has it. */
    public Uni<String> revokeKey(String prefix) {
        return pool.preparedQuery("""
                        update gateway.api_keys set revoked_at = now()
                         where key_prefix = $1 and revoked_at is null returning tenant_id""")
                .execute(Tuple.of(prefix))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("tenant_id"));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /** The active key with this prefix, or null. */
    public Uni<ApiKeyRow> findActiveKey(String prefix) {
        return pool.preparedQuery("""
                        select k.tenant_id, k.key_hash, t.max_active_jobs from gateway.api_keys k
                          join gateway.tenants t on t.id = k.tenant_id
                         where k.key_prefix = $1 and k.revoked_at is null""")
                .execute(Tuple.of(prefix))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next())
                .map(r -> r == null ? null : new ApiKeyRow(r.getString("tenant_id"), r.getBuffer("key_hash").getBytes(),
                        r.getInteger("max_active_jobs")));
    }
}
