package io.stipple.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

    private static final String APPEND_EVENT = """
            with appended as (
                insert into gateway.job_view_events (job_id, event_type, data, created_at)
                values ($1, $2, $3::text::jsonb, $4) returning job_id)
            select pg_notify('%s', job_id::text) from appended""".formatted(EVENTS_CHANNEL);

    private final Pool pool;

    public JobViewRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Stores the snapshot unless the view already holds one at least as new by (attempt, sequence).
     * Returns false for a duplicate, a late snapshot, or a job this gateway does not know.
     */
    public Uni<Boolean> applyIfNewer(SqlClient client, JobViewUpdate u) {
        return client.preparedQuery("""
                        insert into gateway.job_views (job_id, tenant_id, status, attempt, sequence, progress, outputs,
                                                       produced_model, error, queued_at, started_at, completed_at,
                                                       cancel_requested, updated_at)
                        select $1, $2, $3, $4, $5, $6::text::jsonb, $7::text::jsonb, $8, $9::text::jsonb, $10, $11, $12, $13, $14
                         where exists (select 1 from gateway.jobs where id = $1 and tenant_id = $2)
                        on conflict (job_id) do update set
                            status = excluded.status, attempt = excluded.attempt, sequence = excluded.sequence,
                            progress = excluded.progress, outputs = excluded.outputs,
                            produced_model = excluded.produced_model, error = excluded.error,
                            queued_at = excluded.queued_at, started_at = excluded.started_at,
                            completed_at = excluded.completed_at, cancel_requested = excluded.cancel_requested,
                            updated_at = excluded.updated_at
                         where (job_views.attempt, job_views.sequence) < (excluded.attempt, excluded.sequence)
                        returning job_id""")
                .execute(Tuple.tuple()
                        .addValue(u.jobId()).addValue(u.tenantId()).addValue(u.status()).addValue(u.attempt())
                        .addValue(u.sequence()).addValue(u.progressJson()).addValue(u.outputsJson())
                        .addValue(u.producedModel()).addValue(u.errorJson()).addValue(utc(u.queuedAt()))
                        .addValue(utc(u.startedAt())).addValue(utc(u.completedAt())).addValue(u.cancelRequested())
                        .addValue(utc(u.updatedAt())))
                .map(rows -> rows.size() > 0);
    }

    /** Appends an event to the job's log and announces it on {@link #EVENTS_CHANNEL}, in the same statement. */
    public Uni<Void> appendEvent(SqlClient client, UUID jobId, String type, String dataJson, Instant at) {
        return client.preparedQuery(APPEND_EVENT)
                .execute(Tuple.of(jobId, type, dataJson, utc(at)))
                .replaceWithVoid();
    }

    /** Events of the job with an id above {@code afterId}, oldest first. */
    public Uni<List<JobViewEvent>> eventsAfter(UUID jobId, long afterId, int limit) {
        return pool.preparedQuery("""
                        select id, event_type, data::text as data, created_at from gateway.job_view_events
                         where job_id = $1 and id > $2 order by id limit $3""")
                .execute(Tuple.of(jobId, afterId, limit))
                .map(rows -> {
                    List<JobViewEvent> out = new ArrayList<>(rows.size());
                    rows.forEach(r -> out.add(new JobViewEvent(r.getLong("id"), r.getString("event_type"),
                            r.getString("data"), instant(r, "created_at"))));
                    return out;
                });
    }
}
