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
import java.util.UUID;

/** The transactional outbox: rows are written with the change they announce and published by the relay. */
@ApplicationScoped
public class OutboxRepository {

    private final Pool pool;

    public OutboxRepository(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /**
     * Writes a row that goes out after every row of its job still unsent (a cancel after its job's submission):
     * it names the newest of them, and the relay takes it only once that one is sent. The caller holds the
     * job's row lock, so no other row of the job is being written meanwhile.
     *
     * @param traceParent the W3C traceparent of the request that wrote the row, or null
     * @return the row and the one it follows (null: none unsent, so it may go right after the commit)
     */
    public Uni<WrittenRow> insert(SqlClient client, UUID jobId, String topic, String payload, String traceParent) {
        return client.preparedQuery("""
                        insert into gateway.outbox (job_id, topic, payload, trace_parent, follows_id)
                        values ($1, $2, $3, $4, (select max(id) from gateway.outbox where job_id = $1 and sent_at is null))
                        returning id, follows_id""")
                .execute(Tuple.of(jobId, topic, payload, traceParent))
                .map(rows -> {
                    var row = rows.iterator().next();
                    return new WrittenRow(new OutboxRow(row.getLong("id"), jobId, topic, payload, traceParent),
                            row.getLong("follows_id"));
                });
    }

    /** A row as written, and the id of the row of its job it must follow (null: none was unsent). */
    public record WrittenRow(OutboxRow row, Long followsId) {
    }

    /**
     * Claims up to {@code limit} unsent rows for this transaction, oldest first. A row is eligible only once
     * the row it follows (the one of its job written before it, see {@link #insert}) is sent, so one job's
     * messages go out in order even when several rounds (overlapping ones, other gateway replicas) claim at
     * once: the earlier row, claimed by another round, is unsent until that round has published it and
     * committed. {@code skip locked} lets those rounds share the work instead of waiting for each other.
     *
     * <p>A row that follows none is sent by its writer right after its commit; the claim leaves it alone while
     * that send may still be in flight: in this process ({@code sending}), and in other replicas for
     * {@code grace} after it was written, unless a send of it has failed already ({@code attempts > 0}).
     *
     * <p>The plan stays linear whatever the statistics say: the unsent rows in id order from their own index
     * (migration V6), and a primary-key lookup only for a row that follows another.
     */
    public Uni<List<OutboxRow>> claimBatch(SqlClient client, int limit, Duration grace, Long[] sending) {
        return client.preparedQuery("""
                        select o.id, o.job_id, o.topic, o.payload, o.trace_parent from gateway.outbox o
                         where o.sent_at is null
                           and (o.follows_id is null
                                    and (o.attempts > 0 or o.created_at < now() - make_interval(secs => $2))
                                or o.follows_id is not null
                                    and not exists (select 1 from gateway.outbox earlier
                                                     where earlier.id = o.follows_id and earlier.sent_at is null))
                           and o.id <> all($3)
                         order by o.id
                         limit $1
                         for update skip locked""")
                .execute(Tuple.of(limit, grace.toNanos() / 1e9, sending))
                .map(rows -> {
                    List<OutboxRow> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(new OutboxRow(r.getLong("id"), r.getUUID("job_id"), r.getString("topic"),
                            r.getString("payload"), r.getString("trace_parent"))));
                    return out;
                });
    }

    /** Marks the rows sent; with the pool as {@code client}, a statement of its own (a direct send's rows). */
    public Uni<Void> markSent(SqlClient client, List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("update gateway.outbox set sent_at = now(), attempts = attempts + 1 where id = any($1)")
                .execute(Tuple.of(ids.toArray(Long[]::new)))
                .replaceWithVoid();
    }

    public Uni<Void> markFailed(SqlClient client, List<Long> ids, String error) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("update gateway.outbox set attempts = attempts + 1, last_error = $2 where id = any($1)")
                .execute(Tuple.of(ids.toArray(Long[]::new), error))
                .replaceWithVoid();
    }

    /**
     * Deletes up to {@code limit} rows sent before {@code sentBefore}; unsent rows are never touched.
     * Returns how many were deleted.
     */
    public Uni<Integer> deleteSentBefore(java.time.Instant sentBefore, int limit) {
        return pool.preparedQuery("""
                        delete from gateway.outbox where id in (
                            select id from gateway.outbox where sent_at < $1 order by id limit $2)""")
                .execute(Tuple.of(JobRepository.utc(sentBefore), limit))
                .map(rows -> rows.rowCount());
    }

    /** Rows not yet published and the oldest one's creation time (null if none), for the backlog gauges. */
    public Uni<Unsent> unsent() {
        return pool.query("select count(*), min(created_at) from gateway.outbox where sent_at is null").execute()
                .map(rows -> {
                    var row = rows.iterator().next();
                    var oldest = row.getOffsetDateTime(1);
                    return new Unsent(row.getLong(0), oldest == null ? null : oldest.toInstant());
                });
    }

    /** How many rows wait to be published, and since when the oldest of them (null: none). */
    public record Unsent(long rows, Instant oldestCreatedAt) {
    }
}
