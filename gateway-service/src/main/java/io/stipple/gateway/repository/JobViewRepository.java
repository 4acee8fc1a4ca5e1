package io.stipple.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.stipple.gateway.repository.JobRepository.instant;
import static io.stipple.gateway.repository.JobRepository.utc;

/** The read model projected from the scheduler's status snapshots, and the per-job event log behind SSE. */
@ApplicationScoped
public class JobViewRepository {

    /**
     * The PostgreSQL channel on which an appended event announces its job id; the notification is delivered
     * when the appending transaction commits, never before ({@link JobEventListener}).
     */
    public static final String EVENTS_CHANNEL = "stipple_job_events";

    /**
     * The notification's payload: the job id, a space and the event's id, so that a stream that has already read the
     * event need not read again ({@code JobWakeups}).
     */
    private static final String ANNOUNCE = "pg_notify('%s', job_id::text || ' ' || id)".formatted(EVENTS_CHANNEL);

    private static final String APPEND_EVENT = """
            with appended as (
                insert into gateway.job_view_events (job_id, event_type, data, created_at)
                values ($1, $2, $3::text::jsonb, $4) returning job_id, id)
            select %s from appended""".formatted(ANNOUNCE);

    /**
     * {@link #project}: one round trip where the projection took five (view, slot, event, webhook, commit). Data-modifying
     * CTEs all run once, in the statement's snapshot; each write after the view's depends on {@code applied}. The
     * volatile {@code pg_notify} keeps the {@code announced} CTE from being inlined, so it runs once per event.
     */
    private static final String PROJECT = """
            with job as (
                select id, nullif(spec -> 'webhook', 'null'::jsonb)::text as webhook
                  from gateway.jobs where id = $1 and tenant_id = $2),
            applied as (
                insert into gateway.job_views (job_id, tenant_id, status, attempt, sequence, progress, outputs,
                                               produced_model, error, queued_at, started_at, completed_at,
                                               cancel_requested, updated_at)
                select $1, $2, $3, $4, $5, $6::text::jsonb, $7::text::jsonb, $8, $9::text::jsonb, $10, $11, $12, $13, $14
                  from job where $15 or job.webhook is null
                on conflict (job_id) do update set
                    status = excluded.status, attempt = excluded.attempt, sequence = excluded.sequence,
                    progress = excluded.progress, outputs = excluded.outputs,
                    produced_model = excluded.produced_model, error = excluded.error,
                    queued_at = excluded.queued_at, started_at = excluded.started_at,
                    completed_at = excluded.completed_at, cancel_requested = excluded.cancel_requested,
                    updated_at = excluded.updated_at
                 where (job_views.attempt, job_views.sequence) < (excluded.attempt, excluded.sequence)
                returning job_id),
            released as (
                update gateway.jobs set holds_active_slot = false
                 where $16 and id in (select job_id from applied) and holds_active_slot
                returning tenant_id),
            given_back as (
                update gateway.tenants t set active_jobs = t.active_jobs - 1 from released r where t.id = r.tenant_id),
            appended as (
                insert into gateway.job_view_events (job_id, event_type, data, created_at)
                select job_id, $17::text, $18::text::jsonb, $19 from applied where $17::text is not null
                returning job_id, id),
            announced as (
                select id, %s as notified from appended)
            select exists (select 1 from applied) as applied, (select webhook from job) as webhook,
                   (select max(id) from announced) as event_id""".formatted(ANNOUNCE);

    /**
     * {@link #eventsAfter}: the job is joined to the events of a type in $5 only. {@code offset 0} keeps PostgreSQL
     * from flattening the lateral read into the join, where it looked the job up for every event and dropped the rows
     * after; kept apart, the condition on the event is a one-time filter in front of the lookup (EXPLAIN), so a long
     * log costs one lookup of the job, for its terminal event.
     */
    private static final String EVENTS_AFTER = """
            select e.id as event_id, e.event_type, e.data::text as data, e.created_at as event_at, f.*
              from gateway.job_view_events e
              left join lateral (%s where e.event_type = any($5) and j.id = e.job_id and j.tenant_id = $4 offset 0) f
                on true
             where e.job_id = $1 and e.id > $2 order by e.id limit $3""".formatted(JobRepository.SELECT_JOB);

    private final Pool pool;

    public JobViewRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Applies one status snapshot in one statement: stores it in the read model unless the view already holds one
     * at least as new by (attempt, sequence), and only then gives the job's active-job slot back if
     * {@code releasesSlot} (exactly once: the job's {@code holds_active_slot} flips under its row lock, so duplicate,
     * redelivered or concurrent terminal snapshots release one slot in total; {@link ActiveJobSlots}) and appends
     * {@code event}, if any, to the job's log, announced on {@link #EVENTS_CHANNEL}. Nothing is written for a job this
     * gateway does not know (under {@code u.tenantId()}), nor, unless {@code evenWithWebhook}, for a job that has a
     * webhook: outside a transaction, such a job's snapshot must be applied again in one, which also records the
     * notification ({@link ProjectedSnapshot#heldForWebhook}).
     */
    public Uni<ProjectedSnapshot> project(SqlClient client, JobViewUpdate u, boolean releasesSlot, NewJobEvent event,
            boolean evenWithWebhook) {
        return client.preparedQuery(PROJECT)
                .execute(Tuple.tuple()
                        .addValue(u.jobId()).addValue(u.tenantId()).addValue(u.status()).addValue(u.attempt())
                        .addValue(u.sequence()).addValue(u.progressJson()).addValue(u.outputsJson())
                        .addValue(u.producedModel()).addValue(u.errorJson()).addValue(utc(u.queuedAt()))
                        .addValue(utc(u.startedAt())).addValue(utc(u.completedAt())).addValue(u.cancelRequested())
                        .addValue(utc(u.updatedAt())).addValue(evenWithWebhook).addValue(releasesSlot)
                        .addValue(event == null ? null : event.type()).addValue(event == null ? null : event.dataJson())
                        .addValue(event == null ? null : utc(event.at())))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new ProjectedSnapshot(row.getBoolean("applied"), row.getString("webhook"),
                            row.getLong("event_id"));
                });
    }

    /** Appends an event to the job's log and announces it on {@link #EVENTS_CHANNEL}, in the same statement. */
    public Uni<Void> appendEvent(SqlClient client, UUID jobId, String type, String dataJson, Instant at) {
        return client.preparedQuery(APPEND_EVENT)
                .execute(Tuple.of(jobId, type, dataJson, utc(at)))
                .replaceWithVoid();
    }

    /** Events of the job with an id above {@code afterId}, oldest first, none with its job. */
    public Uni<List<JobViewEvent>> eventsAfter(UUID jobId, long afterId, int limit) {
        return eventsAfter(jobId, afterId, limit, null, Set.of());
    }

    /**
     * Events of the job with an id above {@code afterId}, oldest first; each of a type in {@code withJob} carries the
     * job as {@link JobRepository#find} reads it under {@code tenantId}, from the same snapshot as the events (so at
     * least as new as the event: the projection writes the view and its event in one statement), or none when the
     * job is not that tenant's. One round trip where a stream used to read the job after the events.
     */
    public Uni<List<JobViewEvent>> eventsAfter(UUID jobId, long afterId, int limit, String tenantId, Set<String> withJob) {
        return pool.preparedQuery(EVENTS_AFTER)
                .execute(Tuple.of(jobId, afterId, limit, tenantId, withJob.toArray(String[]::new)))
                .map(rows -> {
                    List<JobViewEvent> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(new JobViewEvent(r.getLong("event_id"), r.getString("event_type"),
                            r.getString("data"), instant(r, "event_at"),
                            r.getUUID("id") == null ? null : JobRepository.toRow(r))));
                    return out;
                });
    }
}
