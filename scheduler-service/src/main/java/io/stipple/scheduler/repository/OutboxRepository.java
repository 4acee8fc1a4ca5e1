package io.stipple.scheduler.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The scheduler's outbox rows. Every method runs in the caller's reactive transaction. */
@ApplicationScoped
public class OutboxRepository implements PanacheRepositoryBase<OutboxMessageEntity, Long> {

    /**
     * The oldest {@code :limit} rows no other transaction holds, locked; of those, the ones whose job has
     * no older row outside the claim. An older row of the job that another relay (replica) holds, or that
     * this claim left out, keeps the job's later rows back, so one job's messages leave in commit order;
     * rows of one job inside the claim are sent in id order by the relay. A timed round takes only rows older
     * than a grace ({@code writtenBefore}): a younger row is probably being sent by its writer right after its
     * commit, in another replica (in this one, the relay joins that send instead of starting another).
     */
    private static final String CLAIM = """
            with claimed as materialized (
                select id from scheduler.outbox where created_at < :writtenBefore order by id limit :limit for update skip locked)
            select o.* from scheduler.outbox o join claimed c on c.id = o.id
            where not exists (select 1 from scheduler.outbox earlier
                              where earlier.job_id = o.job_id and earlier.id < o.id
                                and earlier.id not in (select id from claimed))
            order by o.id
            """;

    /**
     * The outbox rows in the list's order, so ids (the relay's order) follow it, and the same changes' event log
     * lines ({@link JobEventRows#APPEND}, a data-modifying CTE, which runs whether or not the rest reads it): one
     * statement, one round trip. Returns each outbox row's id and the newest row its job had before (none: null);
     * the subquery reads the table as it was before this statement, so it sees no row of the statement's own.
     */
    private static final String INSERT = """
            with appended as (
            %s),
            written as (
                insert into scheduler.outbox (job_id, channel, topic, payload, trace_parent, created_at)
                select job_id, channel, topic, payload, trace_parent, created_at
                from jsonb_to_recordset(cast(cast(:rows as text) as jsonb)) as r(place integer, job_id uuid, channel text, topic text,
                    payload text, trace_parent text, created_at timestamptz)
                order by r.place
                returning id, job_id)
            select w.id, (select max(earlier.id) from scheduler.outbox earlier where earlier.job_id = w.job_id) as follows_id
            from written w order by w.id
            """.formatted(JobEventRows.APPEND);

    /**
     * Inserts the rows and appends the log lines of the same changes, all with one statement, whatever their
     * number (a dispatch writes a batch's work items and lines), and sets the rows' ids. The lines' jobs must
     * have their rows already (the log refers to them).
     *
     * @return each row with the newest row of its job written before this statement (null: its job had none)
     */
    public Uni<List<WrittenRow>> insertAll(List<OutboxMessageEntity> messages, List<JobEventEntity> logLines) {
        if (messages.isEmpty() && logLines.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        JsonRows rows = new JsonRows(messages.size());
        for (OutboxMessageEntity message : messages) {
            rows.row().put("job_id", message.jobId).put("channel", message.channel).put("topic", message.topic)
                    .put("payload", message.payload).put("trace_parent", message.traceParent)
                    .put("created_at", message.createdAt);
        }
        return Panache.getSession().flatMap(session -> session.createNativeQuery(INSERT, Object[].class)
                        .setParameter("rows", rows.json())
                        .setParameter("events", JobEventRows.json(logLines))
                        .getResultList())
                .map(written -> {
                    if (written.size() != messages.size()) {
                        throw new IllegalStateException(messages.size() + " outbox rows, " + written.size() + " written");
                    }
                    List<WrittenRow> out = new ArrayList<>(written.size());
                    for (int i = 0; i < written.size(); i++) {
                        OutboxMessageEntity message = messages.get(i);
                        message.id = ((Number) written.get(i)[0]).longValue();
                        Number follows = (Number) written.get(i)[1];
                        out.add(new WrittenRow(message, follows == null ? null : follows.longValue()));
                    }
                    return out;
                });
    }

    /**
     * A row as written, and the newest row of its job that was in the outbox before (unsent, or in flight):
     * null if none, then the row may go right after its transaction's commit.
     */
    public record WrittenRow(OutboxMessageEntity row, Long followsId) {
    }

    /** Claims rows written before {@code writtenBefore} only (see {@link #CLAIM}). */
    public Uni<List<OutboxMessageEntity>> claim(int limit, Instant writtenBefore) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(CLAIM, OutboxMessageEntity.class)
                .setParameter("limit", limit)
                .setParameter("writtenBefore", writtenBefore)
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
