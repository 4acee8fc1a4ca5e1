package io.stipple.scheduler.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.status.JobState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** Reads and locks job rows. Every method runs in the caller's reactive transaction. */
@ApplicationScoped
public class JobRepository implements PanacheRepositoryBase<JobEntity, UUID> {

    /**
     * Each tenant's {@code perTenantAndClass} oldest waiting jobs of each priority class: enough for the
     * planner to fill that many slots however it shares them, without reading the whole queue.
     */
    private static final String OLDEST_WAITING = """
            select * from scheduler.jobs where id in (
                select id from (
                    select id, row_number() over (partition by priority, tenant_id order by queued_at, id) as place
                    from scheduler.jobs
                    where %s
                ) ranked
                where place <= :limit)
            """.formatted(Waiting.JOBS);

    /** The kind's dispatch lock tried, and whether any job of the kind waits to be dispatched, in one statement. */
    private static final String LOCK_IF_WAITING = """
            select pg_try_advisory_xact_lock(hashtext(:name)),
                exists (select 1 from scheduler.jobs where %s)
            """.formatted(Waiting.JOBS);

    /**
     * Writes what {@code JobLifecycle.dispatch} changed on each of the jobs (attempt, lease, dispatch time;
     * the worker, event sequence and backoff cleared) in one statement, whatever their number.
     */
    private static final String WRITE_DISPATCHES = """
            update scheduler.jobs j set attempt = r.attempt, event_sequence = r.event_sequence, worker_id = r.worker_id,
                not_before = r.not_before, dispatched_at = r.dispatched_at, lease_expires_at = r.lease_expires_at,
                updated_at = r.updated_at
            from jsonb_to_recordset(cast(cast(:rows as text) as jsonb)) as r(id uuid, attempt integer, event_sequence bigint,
                worker_id text, not_before timestamptz, dispatched_at timestamptz, lease_expires_at timestamptz,
                updated_at timestamptz)
            where j.id = r.id
            """;

    /** The job, locked against concurrent changes until the transaction ends; null if unknown. */
    public Uni<JobEntity> lockById(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The jobs (those that exist), locked as {@link #lockById} does, in one statement, whatever their number.
     * Locked in id order, so two such batches could never wait for each other crosswise.
     */
    public Uni<List<JobEntity>> lockAll(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return find("id in ?1 order by id", ids).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    /**
     * As {@link #lockAll}, then detached from the session: a dispatch batch's changes are written by
     * {@link #writeDispatches}, not by Hibernate's flush.
     */
    public Uni<List<JobEntity>> lockAllDetached(List<UUID> ids) {
        return lockAll(ids).call(locked -> locked.isEmpty()
                ? Uni.createFrom().voidItem()
                : Panache.getSession().invoke(session -> session.clear()));
    }

    /**
     * As {@link #lockAllDetached}, but a row that another transaction holds is left out instead of waited for: for
     * a dispatch inside a consumer's transaction, which holds rows of its own that the other may be waiting for.
     */
    public Uni<List<JobEntity>> lockAvailableDetached(List<UUID> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "select * from scheduler.jobs where id in (:ids) order by id for update skip locked", JobEntity.class)
                .setParameter("ids", ids)
                .getResultList()
                .invoke(session::clear));
    }

    /**
     * Stores the dispatch of each job, as {@code JobLifecycle.dispatch} left it in memory, with one statement.
     * Fails (and so rolls the transaction back) unless every job's row was written.
     */
    public Uni<Void> writeDispatches(List<JobEntity> dispatched) {
        if (dispatched.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        JsonRows rows = new JsonRows(dispatched.size());
        for (JobEntity job : dispatched) {
            rows.row().put("id", job.id).put("attempt", job.attempt).put("event_sequence", job.eventSequence)
                    .put("worker_id", job.workerId).put("not_before", job.notBefore)
                    .put("dispatched_at", job.dispatchedAt).put("lease_expires_at", job.leaseExpiresAt)
                    .put("updated_at", job.updatedAt);
        }
        return Panache.getSession().flatMap(session -> session.createNativeQuery(WRITE_DISPATCHES)
                        .setParameter("rows", rows.json())
                        .executeUpdate())
                .invoke(written -> {
                    if (written != rows.size()) {
                        throw new IllegalStateException("dispatch of " + rows.size() + " jobs wrote " + written + " rows");
                    }
                })
                .replaceWithVoid();
    }

    /**
     * Jobs of a kind whose current attempt is dispatched and not finished (the dispatch slots in use),
     * per tenant; tenants with none are absent. Per tenant, so that they can be summed per slot group.
     */
    public Uni<Map<String, Long>> countLeasedByTenant(JobKind kind) {
        return Panache.getSession().flatMap(session -> session.createSelectionQuery("""
                        select tenantId, count(*) from JobEntity
                        where kind = :kind and leaseExpiresAt is not null
                        group by tenantId""", Object[].class)
                .setParameter("kind", kind)
                .getResultList())
                .map(rows -> rows.stream().collect(Collectors.toMap(row -> (String) row[0], row -> (Long) row[1])));
    }

    /**
     * Read without locks, and detached from the session afterwards: a dispatch decision must then
     * {@link #lockById lock} the job, which reads its committed state (a cancel may have come in between).
     */
    public Uni<List<JobEntity>> oldestWaiting(JobKind kind, int perTenantAndClass, Instant now) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(OLDEST_WAITING, JobEntity.class)
                .setParameter("kind", kind.name())
                .setParameter("now", now)
                .setParameter("limit", perTenantAndClass)
                .getResultList()
                .invoke(session::clear));
    }

    /**
     * Jobs whose lease ran out, the oldest leases first, locked as {@link #lockAll} does (a row another transaction
     * holds is waited for). Chosen first, then locked in id order: locked in lease order, the reaper and a batch of
     * worker events (id order) could each hold a row the other waits for, and PostgreSQL would abort one of them.
     * A lease renewed between the two statements is left out.
     */
    public Uni<List<JobEntity>> expiredLeases(Instant now, int limit) {
        return Panache.getSession().flatMap(session -> session.createSelectionQuery(
                        "select id from JobEntity where leaseExpiresAt <= :now order by leaseExpiresAt", UUID.class)
                .setParameter("now", now)
                .setMaxResults(limit)
                .getResultList())
                .flatMap(this::lockAll)
                .map(locked -> locked.stream()
                        .filter(job -> job.leaseExpiresAt != null && !job.leaseExpiresAt.isAfter(now))
                        .toList());
    }

    /** Waiting (undispatched) jobs per kind and priority class, for the queue depth gauges. */
    public Uni<List<QueueDepth>> queueDepths() {
        return Panache.getSession().flatMap(session -> session.createSelectionQuery("""
                        select new io.stipple.scheduler.repository.QueueDepth(kind, priority, count(*))
                        from JobEntity where status = :queued and leaseExpiresAt is null
                        group by kind, priority""", QueueDepth.class)
                .setParameter("queued", JobState.QUEUED)
                .getResultList());
    }

    /** The Postgres advisory lock (hashed by {@code hashtext}) that one dispatch of the kind holds. */
    public static String dispatchLockName(JobKind kind) {
        return "stipple.scheduler.dispatch." + kind.name();
    }

    /** Takes the transaction-scoped dispatch lock of a kind, so that one dispatcher at a time counts and fills its slots. */
    public Uni<Boolean> tryDispatchLock(JobKind kind) {
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("select pg_try_advisory_xact_lock(hashtext(:name))", Boolean.class)
                .setParameter("name", dispatchLockName(kind))
                .getSingleResult());
    }

    /**
     * As {@link #tryDispatchLock}, and whether a job of the kind is waiting (as {@link #oldestWaiting} would read it at
     * {@code now}), with one statement: its snapshot is taken before the lock is tried, so the answer may miss a job
     * committed in between; use it only where such a job's writer dispatches after its commit anyway.
     */
    public Uni<Waiting> tryDispatchLockIfWaiting(JobKind kind, Instant now) {
        return Panache.getSession().flatMap(session -> session.<Object[]>createNativeQuery(LOCK_IF_WAITING)
                        .setParameter("name", dispatchLockName(kind))
                        .setParameter("kind", kind.name())
                        .setParameter("now", now)
                        .getSingleResult())
                .map(row -> new Waiting((Boolean) row[0], (Boolean) row[1]));
    }

    /**
     * The answer of {@link #tryDispatchLockIfWaiting}.
     *
     * @param locked  whether this transaction holds the kind's dispatch lock
     * @param anyJobs whether a job of the kind was waiting to be dispatched
     */
    public record Waiting(boolean locked, boolean anyJobs) {
        /** The jobs a dispatch may choose from (SQL, with the parameters {@code :kind} and {@code :now}). */
        static final String JOBS = """
                kind = :kind and status = 'QUEUED' and lease_expires_at is null and not cancel_requested
                    and (not_before is null or not_before <= :now)""";
    }
}
