package io.stipple.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Job requests and their read-model view, always scoped to one tenant. */
@ApplicationScoped
public class JobRepository {

    static final String SELECT_JOB = """
            select j.id, j.tenant_id, j.kind, j.spec::text as spec, j.created_at, j.cancel_requested_at,
                   v.status, v.attempt, v.sequence, v.progress::text as progress, v.outputs::text as outputs,
                   v.produced_model, v.error::text as error, v.queued_at, v.started_at, v.completed_at
              from gateway.jobs j left join gateway.job_views v on v.job_id = j.id
            """;

    private final Pool pool;

    public JobRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<JobRow> find(String tenantId, UUID id) {
        return find(pool, tenantId, id);
    }

    public Uni<JobRow> find(SqlClient client, String tenantId, UUID id) {
        return client.preparedQuery(SELECT_JOB + " where j.tenant_id = $1 and j.id = $2")
                .execute(Tuple.of(tenantId, id))
                .map(JobRepository::firstOrNull);
    }

    /** Locks the job row (for cancel) so that concurrent requests on one job are serialized. */
    public Uni<JobRow> findForUpdate(SqlClient client, String tenantId, UUID id) {
        return client.preparedQuery(SELECT_JOB + " where j.tenant_id = $1 and j.id = $2 for update of j")
                .execute(Tuple.of(tenantId, id))
                .map(JobRepository::firstOrNull);
    }

    public Uni<JobRow> findByIdempotencyKey(SqlClient client, String tenantId, String key) {
        return client.preparedQuery(SELECT_JOB + " where j.tenant_id = $1 and j.idempotency_key = $2")
                .execute(Tuple.of(tenantId, key))
                .map(JobRepository::firstOrNull);
    }

    public Uni<byte[]> requestHash(SqlClient client, String tenantId, UUID id) {
        return client.preparedQuery("select request_hash from gateway.jobs where tenant_id = $1 and id = $2")
                .execute(Tuple.of(tenantId, id))
                .map(rows -> rows.size() == 0 || rows.iterator().next().getValue("request_hash") == null ? null
                        : rows.iterator().next().getBuffer("request_hash").getBytes());
    }

    /** Records a cancel request and returns the gateway's new request sequence for the job. */
    public Uni<Long> markCancelRequested(SqlClient client, UUID id, Instant at) {
        return client.preparedQuery("""
                        update gateway.jobs set cancel_requested_at = $2, request_sequence = request_sequence + 1
                         where id = $1 returning request_sequence""")
                .execute(Tuple.of(id, utc(at)))
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** A page of the tenant's jobs, newest first, strictly after the cursor position. */
    public Uni<List<JobRow>> list(String tenantId, JobFilter filter, int limit) {
        StringBuilder sql = new StringBuilder(SELECT_JOB).append(" where j.tenant_id = $1");
        List<Object> params = new ArrayList<>(List.of(tenantId));
        if (filter.status() != null) {
            params.add(filter.status());
            sql.append(" and coalesce(v.status, 'submitted') = $").append(params.size());
        }
        if (filter.kind() != null) {
            params.add(filter.kind());
            sql.append(" and j.kind = $").append(params.size());
        }
        if (filter.afterCreatedAt() != null) {
            params.add(utc(filter.afterCreatedAt()));
            params.add(filter.afterId());
            sql.append(" and (j.created_at, j.id) < ($").append(params.size() - 1).append(", $").append(params.size()).append(')');
        }
        params.add(limit);
        sql.append(" order by j.created_at desc, j.id desc limit $").append(params.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(params)).map(JobRepository::all);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static JobRow firstOrNull(RowSet<Row> rows) {
        return rows.size() == 0 ? null : toRow(rows.iterator().next());
    }

    private static List<JobRow> all(RowSet<Row> rows) {
        List<JobRow> out = new ArrayList<>(rows.size());
        rows.forEach(row -> out.add(toRow(row)));
        return out;
    }

    static JobRow toRow(Row row) {
        return new JobRow(row.getUUID("id"), row.getString("tenant_id"), row.getString("kind"), row.getString("spec"),
                instant(row, "created_at"), instant(row, "cancel_requested_at"), row.getString("status"),
                row.getInteger("attempt"), row.getLong("sequence"), row.getString("progress"),
                row.getString("outputs"), row.getString("produced_model"), row.getString("error"),
                instant(row, "queued_at"), instant(row, "started_at"), instant(row, "completed_at"));
    }

    static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
