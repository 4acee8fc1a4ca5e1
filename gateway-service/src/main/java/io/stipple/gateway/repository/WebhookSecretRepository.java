package io.stipple.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.stipple.gateway.repository.JobRepository.utc;

/** The tenants' webhook signing secrets ({@code gateway.webhook_secrets}); a secret signs until {@code expires_at}. */
@ApplicationScoped
public class WebhookSecretRepository {

    /** A stored secret and the id the {@code webhook-key-id} header names it by. */
    public record StoredSecret(String keyId, String secret) {
    }

    private final Pool pool;

    public WebhookSecretRepository(Pool pool) {
        this.pool = pool;
    }

    /** The tenant's secrets that sign at {@code now}, newest first. */
    public Uni<List<StoredSecret>> signing(String tenantId, Instant now) {
        return pool.preparedQuery("""
                        select key_id, secret from gateway.webhook_secrets
                         where tenant_id = $1 and (expires_at is null or expires_at > $2)
                         order by created_at desc, key_id""")
                .execute(Tuple.of(tenantId, utc(now)))
                .map(rows -> {
                    List<StoredSecret> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(new StoredSecret(r.getString("key_id"), r.getString("secret"))));
                    return out;
                });
    }

    /** Ends the tenant's current secrets at {@code until} (those expiring earlier keep their end). */
    public Uni<Void> expireCurrent(SqlClient client, String tenantId, Instant until) {
        return client.preparedQuery("""
                        update gateway.webhook_secrets set expires_at = $2
                         where tenant_id = $1 and (expires_at is null or expires_at > $2)""")
                .execute(Tuple.of(tenantId, utc(until)))
                .replaceWithVoid();
    }

    public Uni<Void> insert(SqlClient client, String keyId, String tenantId, String secret, Instant createdAt) {
        return client.preparedQuery("""
                        insert into gateway.webhook_secrets (key_id, tenant_id, secret, created_at) values ($1, $2, $3, $4)""")
                .execute(Tuple.of(keyId, tenantId, secret, utc(createdAt)))
                .replaceWithVoid();
    }

    /** Whether the tenant exists (a secret is issued to known tenants only). */
    public Uni<Boolean> tenantExists(SqlClient client, String tenantId) {
        return client.preparedQuery("select 1 from gateway.tenants where id = $1")
                .execute(Tuple.of(tenantId))
                .map(rows -> rows.size() > 0);
    }
}
