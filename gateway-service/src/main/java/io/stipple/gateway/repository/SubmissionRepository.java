package io.stipple.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.stipple.gateway.repository.JobRepository.utc;

/**
 * Stores accepted jobs in one statement, which is its own transaction: for each job one of its
 * tenant's active-job slots ({@link ActiveJobSlots}), the job request, its {@code submitted} event and
 * its outbox row, all or nothing per job. Several submissions go in one statement
 * ({@link SubmissionBatcher}), so their tenant rows are locked once and their commit is one WAL flush
 * for all of them. The tenant rows stay locked only while the statement runs and commits, never while
 * the gateway is busy between statements.
 */
@ApplicationScoped
public class SubmissionRepository {

    /*
     * The submissions arrive as parallel arrays, in arrival order. The tenant rows are locked first
     * (for update: the counter read is the latest committed one and stays so until the commit); a
     * submission gets a slot if its tenant's counter plus its place among that tenant's submissions in
     * this statement stays within its limit: exactly what one statement per submission in arrival order
     * would grant. The inserts select from the granted rows only: no slot, no rows. The job's spec is
     * the one inside its JobSubmitted message, so it is serialised once. The statement returns each
     * stored job's outbox row (every data-modifying part runs to completion whether it is read or not). It
     * also marks sent the outbox rows of earlier submissions that Kafka has acknowledged since (their writer's
     * send, AfterCommitSender), so those marks share this commit instead of costing one each.
     */
    private static final String INSERT_WHERE_SLOTS_FREE = """
            with submission as materialized (
                select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bytea[], $6::timestamptz[],
                                     $7::int[], $8::text[], $9::text[], $10::text[], $11::text[])
                  with ordinality as s(id, tenant_id, kind, idempotency_key, request_hash, created_at,
                                       active_limit, topic, payload, trace_parent, submitted_event, arrival)),
            counter as materialized (
                select id, active_jobs from gateway.tenants
                 where id in (select tenant_id from submission) order by id for update),
            granted as materialized (
                select s.* from (select *, row_number() over (partition by tenant_id order by arrival) as place
                                   from submission) s
                  join counter c on c.id = s.tenant_id
                 where c.active_jobs + s.place <= s.active_limit),
            slot as (
                update gateway.tenants t set active_jobs = t.active_jobs + g.taken
                  from (select tenant_id, count(*) as taken from granted group by tenant_id) g
                 where t.id = g.tenant_id),
            job as (
                insert into gateway.jobs (id, tenant_id, kind, spec, idempotency_key, request_hash, created_at)
                select id, tenant_id, kind, payload::jsonb -> 'spec', idempotency_key, request_hash, created_at
                  from granted),
            outbox as (
                insert into gateway.outbox (job_id, topic, payload, trace_parent)
                select id, topic, payload, trace_parent from granted
                returning job_id, id),
            submitted as (
                insert into gateway.job_view_events (job_id, event_type, data, created_at)
                select id, 'submitted', submitted_event::jsonb, created_at from granted),
            marked as (
                update gateway.outbox set sent_at = now(), attempts = attempts + 1 where id = any($12::bigint[]))
            select job_id, id from outbox""";

    private final Pool pool;

    public SubmissionRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Stores each submission whose tenant has a slot free, in the list's order, and marks the outbox rows
     * {@code sent} sent; all are durable when the returned stage completes (and none if it failed).
     *
     * @param sent outbox rows Kafka has acknowledged, to be marked sent by the same commit
     * @return the jobs stored, each with its outbox row's id (the others' tenants were at their limit; nothing
     *         of them was stored)
     */
    public Uni<Map<UUID, Long>> insertWhereSlotsFree(List<NewSubmission> submissions, List<Long> sent) {
        // Deferred: whatever goes wrong building the statement is a failure of the stage, never a throw
        // past SubmissionBatcher, whose next statement waits for this one's outcome.
        return Uni.createFrom().deferred(() -> insert(submissions, sent));
    }

    private Uni<Map<UUID, Long>> insert(List<NewSubmission> submissions, List<Long> sent) {
        int n = submissions.size();
        UUID[] ids = new UUID[n];
        String[] tenants = new String[n];
        String[] kinds = new String[n];
        String[] keys = new String[n];
        Buffer[] hashes = new Buffer[n];
        OffsetDateTime[] createdAt = new OffsetDateTime[n];
        Integer[] limits = new Integer[n];
        String[] topics = new String[n];
        String[] payloads = new String[n];
        String[] traceParents = new String[n];
        String[] events = new String[n];
        for (int i = 0; i < n; i++) {
            NewSubmission s = submissions.get(i);
            ids[i] = s.job().id();
            tenants[i] = s.job().tenantId();
            kinds[i] = s.job().kind();
            keys[i] = s.job().idempotencyKey();
            hashes[i] = s.job().requestHash() == null ? null : Buffer.buffer(s.job().requestHash());
            createdAt[i] = utc(s.job().createdAt());
            limits[i] = s.activeLimit();
            topics[i] = s.message().topic();
            payloads[i] = s.message().payload();
            traceParents[i] = s.message().traceParent();
            events[i] = s.submittedEventJson();
        }
        return pool.preparedQuery(INSERT_WHERE_SLOTS_FREE)
                .execute(Tuple.tuple().addArrayOfUUID(ids).addArrayOfString(tenants).addArrayOfString(kinds)
                        .addArrayOfString(keys).addValue(hashes).addArrayOfOffsetDateTime(createdAt)
                        .addArrayOfInteger(limits).addArrayOfString(topics).addArrayOfString(payloads)
                        .addArrayOfString(traceParents).addArrayOfString(events)
                        .addArrayOfLong(sent.toArray(Long[]::new)))
                .map(rows -> {
                    Map<UUID, Long> stored = new HashMap<>(rows.size() * 2);
                    for (Row row : rows) {
                        stored.put(row.getUUID(0), row.getLong(1));
                    }
                    return stored;
                });
    }

    /**
     * One submission: the job (its spec is the one in {@code message}), the tenant's limit on unfinished
     * jobs, its outbox message and its first event.
     */
    public record NewSubmission(NewJob job, int activeLimit, OutboxMessage message, String submittedEventJson) {
    }

    /**
     * A message for the outbox relay; {@code traceParent} is the writing request's W3C traceparent, or null.
     * For a submission, {@code payload} is its JobSubmitted message, whose {@code spec} is stored as the job's.
     */
    public record OutboxMessage(String topic, String payload, String traceParent) {
    }
}
