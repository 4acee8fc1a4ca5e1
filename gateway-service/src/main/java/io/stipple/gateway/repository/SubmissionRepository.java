package io.stipple.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import static io.stipple.gateway.repository.JobRepository.utc;

/**
 * Stores an accepted job in one statement, which is its own transaction: one of the tenant's
 * active-job slots ({@link ActiveJobSlots}), the job request, its {@code submitted} event and its
 * outbox row, all or nothing. One round trip instead of a transaction of seven (begin, four inserts
 * and the slot's update, a re-read, commit), and the tenant row, locked by the slot's increment, stays
 * locked only while the statement runs and commits, never while the gateway is busy between
 * statements: concurrent submissions of one tenant queue on that row for a commit, no longer.
 */
@ApplicationScoped
public class SubmissionRepository {

    // The inserts select from the slot's update: no slot, no rows. Parameters carry explicit types
    // because a parameter in a select list has none to infer.
    private static final String INSERT_IF_SLOT_FREE = """
            with slot as (
                update gateway.tenants set active_jobs = active_jobs + 1
                 where id = $2::text and active_jobs < $8::int
                returning id),
            job as (
                insert into gateway.jobs (id, tenant_id, kind, spec, idempotency_key, request_hash, created_at)
                select $1::uuid, slot.id, $3::text, $4::text::jsonb, $5::text, $6::bytea, $7::timestamptz from slot
                returning id, created_at),
            outbox as (
                insert into gateway.outbox (job_id, topic, payload, trace_parent)
                select job.id, $9::text, $10::text, $11::text from job),
            submitted as (
                insert into gateway.job_view_events (job_id, event_type, data, created_at)
                select job.id, 'submitted', $12::text::jsonb, job.created_at from job)
            select count(*) from job""";

    private final Pool pool;

    public SubmissionRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Stores the job with its outbox message and first event if the tenant has fewer than
     * {@code activeLimit} unfinished jobs; durable when the returned stage completes.
     *
     * @return true if stored, false if the tenant was at its limit (then nothing was stored)
     */
    public Uni<Boolean> insertIfSlotFree(NewJob job, int activeLimit, OutboxMessage message, String submittedEventJson) {
        return pool.preparedQuery(INSERT_IF_SLOT_FREE)
                .execute(Tuple.tuple()
                        .addValue(job.id())
                        .addValue(job.tenantId())
                        .addValue(job.kind())
                        .addValue(job.specJson())
                        .addValue(job.idempotencyKey())
                        .addValue(job.requestHash() == null ? null : Buffer.buffer(job.requestHash()))
                        .addValue(utc(job.createdAt()))
                        .addValue(activeLimit)
                        .addValue(message.topic())
                        .addValue(message.payload())
                        .addValue(message.traceParent())
                        .addValue(submittedEventJson))
                .map(rows -> rows.iterator().next().getLong(0) == 1);
    }

    /** A message for the outbox relay; {@code traceParent} is the writing request's W3C traceparent, or null. */
    public record OutboxMessage(String topic, String payload, String traceParent) {
    }
}
