package io.stipple.scheduler.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** The scheduler's outbox rows. Every method runs in the caller's reactive transaction. */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxMessageEntity, Long> {

    /**
     * The oldest {@code :limit} rows no other transaction holds, locked; of those, the ones whose job has
     * no older row outside the claim. An older row of the job that another relay (replica) holds, or that
     * this claim left out, keeps the job's later rows back, so one job's messages leave in commit order;
     * rows of one job inside the claim are sent in id order by the relay.
     */
    private static final String CLAIM = """
            with claimed as materialized (
                select id from scheduler.outbox order by id limit :limit for update skip locked)
            select o.* from scheduler.outbox o join claimed c on c.id = o.id
            where not exists (select 1 from scheduler.outbox earlier
                              where earlier.job_id = o.job_id and earlier.id < o.id
                                and earlier.id not in (select id from claimed))
            order by o.id
            """;

    /** In the list's order, so ids (the relay's order) follow it. */
    private static final String INSERT = """
            insert into scheduler.outbox (job_id, channel, topic, payload, trace_parent, created_at)
            select job_id, channel, topic, payload, trace_parent, created_at
            from jsonb_to_recordset(cast(cast(:rows as text) as jsonb)) as r(place integer, job_id uuid, channel text, topic text,
                payload text, trace_parent text, created_at timestamptz)
            order by r.place
            """;

    /** Inserts the rows with one statement, whatever their number (a dispatch writes a batch's work items). */
    public Uni<Void> insertAll(List<OutboxMessageEntity> messages) {
        if (messages.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        JsonRows rows = new JsonRows(messages.size());
        for (OutboxMessageEntity message : messages) {
            rows.row().put("job_id", message.jobId).put("channel", message.channel).put("topic", message.topic)
                    .put("payload", message.payload).put("trace_parent", message.traceParent)
                    .put("created_at", message.createdAt);
        }
        return Panache.getSession().flatMap(session -> session.createNativeQuery(INSERT)
                        .setParameter("rows", rows.json())
                        .executeUpdate())
                .replaceWithVoid();
    }

    public Uni<List<OutboxMessageEntity>> claim(int limit) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(CLAIM, OutboxMessageEntity.class)
                .setParameter("limit", limit)
                .getResultList());
    }

    /** Deletes the rows Kafka acknowledged. */
    public Uni<Void> deleteSent(List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return delete("id in ?1", ids).replaceWithVoid();
    }

    /** Rows not yet acknowledged by Kafka and the oldest one's creation time, for the backlog gauges. */
    public Uni<Unsent> unsent() {
        return Panache.getSession().flatMap(session -> session
                .createSelectionQuery("select count(o), min(o.createdAt) from OutboxMessageEntity o", Object[].class)
                .getSingleResult())
                .map(row -> new Unsent((Long) row[0], (Instant) row[1]));
    }

    /** How many rows wait for Kafka, and since when the oldest of them (null: none). */
    public record Unsent(long rows, Instant oldestCreatedAt) {
    }
}
