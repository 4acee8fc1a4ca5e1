package io.stipple.gateway.service;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.status.JobStatus;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.gateway.mapping.JobEventMapper;
import io.stipple.gateway.mapping.JobViewMapper;
import io.stipple.gateway.mapping.WireNames;
import io.stipple.gateway.repository.ActiveJobSlots;
import io.stipple.gateway.repository.JobViewRepository;
import io.stipple.gateway.webhook.WebhookNotifications;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Applies a scheduler snapshot to the read model if it is newer by (attempt, sequence) than the
 * one held, and logs it as a job event for SSE, in one transaction. Duplicates and late
 * snapshots change nothing. The first terminal snapshot also gives the job's active-job slot back
 * ({@link ActiveJobSlots#releaseOnce}, itself idempotent). An applied snapshot whose change the job's
 * webhook wants is also recorded as a notification ({@link WebhookNotifications}), in the same transaction:
 * one per transition, with the job resource as it reads after this snapshot.
 *
 * <p>One exception to the logging: a {@code cancel_requested} snapshot updates the view but adds no
 * event. The gateway's own {@code cancel_requested} event, written in the transaction that accepted
 * the client's request ({@code CancelService}), is the stream's one record of it; logging the
 * scheduler's echo too showed the same request twice.
 */
@ApplicationScoped
public class StatusProjection {

    private final Pool pool;
    private final JobViewRepository views;
    private final ActiveJobSlots slots;
    private final JobViewMapper viewMapper;
    private final JobEventMapper eventMapper;
    private final WebhookNotifications webhooks;

    public StatusProjection(Pool pool, JobViewRepository views, ActiveJobSlots slots, JobViewMapper viewMapper,
            JobEventMapper eventMapper, WebhookNotifications webhooks) {
        this.pool = pool;
        this.views = views;
        this.slots = slots;
        this.viewMapper = viewMapper;
        this.eventMapper = eventMapper;
        this.webhooks = webhooks;
    }

    /** Returns whether the snapshot was applied. */
    public Uni<Boolean> apply(JobStatus status) {
        return pool.withTransaction(conn -> views.applyIfNewer(conn, viewMapper.toUpdate(status)).chain(applied -> {
            if (!applied) {
                return Uni.createFrom().item(false);
            }
            Uni<Boolean> logged = status.status().isTerminal()
                    ? slots.releaseOnce(conn, status.jobId()).chain(() -> logEvent(conn, status))
                    : logEvent(conn, status);
            return logged.call(() -> webhooks.enqueueIfWanted(conn, status));
        }));
    }

    private Uni<Boolean> logEvent(SqlConnection conn, JobStatus status) {
        if (status.trigger() == StatusTrigger.CANCEL_REQUESTED) {
            return Uni.createFrom().item(true);
        }
        return views.appendEvent(conn, status.jobId(), WireNames.of(status.trigger()), eventMapper.fromStatus(status),
                status.timestamp()).replaceWith(true);
    }
}
