package io.stipple.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.stipple.gateway.repository.JobRepository.utc;

/**
 * Webhook notifications and their attempts ({@code gateway.webhook_deliveries}, {@code webhook_attempts}):
 * written with the snapshot they report, claimed and settled by the sender.
 */
@ApplicationScoped
public class WebhookDeliveryRepository {

    /** A notification to send: its id is the {@code webhook-id} header, its payload the exact body. */
    public record NewDelivery(UUID id, UUID jobId, String tenantId, String url, String eventType, String payload) {
    }

    /** A claimed notification with the number of the attempt about to be made (1 for the first). */
    public record Claimed(UUID id, String tenantId, String url, String payload, int attempt) {
    }

    /** One attempt: the HTTP status, or the error when there was none. */
    public record Attempt(UUID deliveryId, int attempt, Instant attemptedAt, Integer statusCode, String error,
            long durationMs) {
    }

    private final Pool pool;

    public WebhookDeliveryRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    public Uni<Void> insert(SqlClient client, NewDelivery d, Instant now) {
        return client.preparedQuery("""
                        insert into gateway.webhook_deliveries (id, job_id, tenant_id, url, event_type, payload, state,
                                                                next_attempt_at, created_at)
                        values ($1, $2, $3, $4, $5, $6, 'PENDING', $7, $7)""")
                .execute(Tuple.from(List.of(d.id(), d.jobId(), d.tenantId(), d.url(), d.eventType(), d.payload(), utc(now))))
                .replaceWithVoid();
    }

    /**
     * Due notifications of tenants not in {@code skipTenants}, oldest due first, locked for this transaction;
     * {@code skip locked} lets several gateway replicas share them instead of waiting for each other.
     */
    public Uni<List<Claimed>> due(SqlClient client, Instant now, Set<String> skipTenants, int limit) {
        return client.preparedQuery("""
                        select id, tenant_id, url, payload, attempts from gateway.webhook_deliveries
                         where state = 'PENDING' and next_attempt_at <= $1 and not (tenant_id = any($2))
                         order by next_attempt_at
                         limit $3
                         for update skip locked""")
                .execute(Tuple.of(utc(now), skipTenants.toArray(String[]::new), limit))
                .map(rows -> {
                    List<Claimed> due = new ArrayList<>(rows.size());
                    rows.forEach(r -> due.add(new Claimed(r.getUUID("id"), r.getString("tenant_id"), r.getString("url"),
                            r.getString("payload"), r.getInteger("attempts") + 1)));
                    return due;
                });
    }

    /** Counts the attempts of the claimed rows and pushes their due time past the request, so a crash retries them. */
    public Uni<Void> markClaimed(SqlClient client, List<UUID> ids, Instant retryAt) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("""
                        update gateway.webhook_deliveries set attempts = attempts + 1, next_attempt_at = $2
                         where id = any($1)""")
                .execute(Tuple.of(ids.toArray(UUID[]::new), utc(retryAt)))
                .replaceWithVoid();
    }

    public Uni<Void> recordAttempt(SqlClient client, Attempt a) {
        return client.preparedQuery("""
                        insert into gateway.webhook_attempts (delivery_id, attempt, attempted_at, status_code, error, duration_ms)
                        values ($1, $2, $3, $4, $5, $6)""")
                .execute(Tuple.from(java.util.Arrays.asList(a.deliveryId(), a.attempt(), utc(a.attemptedAt()),
                        a.statusCode(), a.error(), a.durationMs())))
                .replaceWithVoid();
    }

    /** Ends the notification: {@code DELIVERED} or {@code FAILED} (given up). */
    public Uni<Void> complete(SqlClient client, UUID id, String state, Instant at) {
        return client.preparedQuery("""
                        update gateway.webhook_deliveries set state = $2, completed_at = $3, next_attempt_at = null
                         where id = $1""")
                .execute(Tuple.of(id, state, utc(at)))
                .replaceWithVoid();
    }

    public Uni<Void> retryAfter(SqlClient client, UUID id, Instant at, Duration wait) {
        return client.preparedQuery("update gateway.webhook_deliveries set next_attempt_at = $2 where id = $1")
                .execute(Tuple.of(id, utc(at.plus(wait))))
                .replaceWithVoid();
    }
}
