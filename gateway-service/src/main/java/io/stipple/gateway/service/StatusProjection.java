package io.stipple.gateway.service;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.status.JobStatus;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.gateway.mapping.JobEventMapper;
import io.stipple.gateway.mapping.JobViewMapper;
import io.stipple.gateway.mapping.WireNames;
import io.stipple.gateway.repository.JobViewRepository;
import io.stipple.gateway.repository.JobViewUpdate;
import io.stipple.gateway.repository.NewJobEvent;
import io.stipple.gateway.repository.ProjectedSnapshot;
import io.stipple.gateway.webhook.WebhookEvents;
import io.stipple.gateway.webhook.WebhookNotifications;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Applies a scheduler snapshot to the read model if it is newer by (attempt, sequence) than the
 * one held, and logs it as a job event for SSE, atomically. Duplicates and late
 * snapshots change nothing. The first terminal snapshot also gives the job's active-job slot back
 * ({@code ActiveJobSlots}, itself idempotent). An applied snapshot whose change the job's
 * webhook wants is also recorded as a notification ({@link WebhookNotifications}), in the same transaction:
 * one per transition, with the job resource as it reads after this snapshot.
 *
 * <p>All of that but the notification is one statement ({@link JobViewRepository#project}), so a job without a
 * webhook is projected in one round trip and no transaction; a job with one is held back by that statement and
 * projected again in a transaction with its notification. Once committed, the job's event streams in this replica
 * are woken at once ({@link JobWakeups#committed}); the notification PostgreSQL sends at commit wakes those of the
 * other replicas.
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
    private final JobViewMapper viewMapper;
    private final JobEventMapper eventMapper;
    private final WebhookNotifications webhooks;
    private final JobWakeups wakeups;

    public StatusProjection(Pool pool, JobViewRepository views, JobViewMapper viewMapper, JobEventMapper eventMapper,
            WebhookNotifications webhooks, JobWakeups wakeups) {
        this.pool = pool;
        this.views = views;
        this.viewMapper = viewMapper;
        this.eventMapper = eventMapper;
        this.webhooks = webhooks;
        this.wakeups = wakeups;
    }

    /** Returns whether the snapshot was applied. */
    public Uni<Boolean> apply(JobStatus status) {
        JobViewUpdate update = viewMapper.toUpdate(status);
        boolean releasesSlot = status.status().isTerminal();
        NewJobEvent event = status.trigger() == StatusTrigger.CANCEL_REQUESTED ? null
                : new NewJobEvent(WireNames.of(status.trigger()), eventMapper.fromStatus(status), status.timestamp());
        // a change no webhook is told of may be applied whatever the job's webhook
        boolean notifiable = WebhookEvents.of(status.trigger()).isPresent();
        return views.project(pool, update, releasesSlot, event, !notifiable)
                .chain(alone -> !alone.heldForWebhook() ? Uni.createFrom().item(alone)
                        : pool.withTransaction(conn -> views.project(conn, update, releasesSlot, event, true)
                                .call(projected -> projected.applied()
                                        ? webhooks.enqueueIfWanted(conn, status, projected.webhookJson())
                                        : Uni.createFrom().voidItem())))
                .invoke(projected -> {
                    if (projected.eventId() != null) {
                        wakeups.committed(status.jobId(), projected.eventId());
                    }
                })
                .map(ProjectedSnapshot::applied);
    }
}
