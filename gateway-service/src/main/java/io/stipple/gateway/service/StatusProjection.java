package io.stipple.gateway.service;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.status.JobStatus;
import io.stipple.gateway.mapping.JobEventMapper;
import io.stipple.gateway.mapping.JobViewMapper;
import io.stipple.gateway.mapping.WireNames;
import io.stipple.gateway.repository.JobViewRepository;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Applies a scheduler snapshot to the read model if it is newer by (attempt, sequence) than the
 * one held, and logs it as a job event for SSE, in one transaction. Duplicates and late
 * snapshots change nothing.
 */
@ApplicationScoped
public class StatusProjection {

    private final Pool pool;
    private final JobViewRepository views;
    private final JobViewMapper viewMapper;
    private final JobEventMapper eventMapper;

    public StatusProjection(Pool pool, JobViewRepository views, JobViewMapper viewMapper, JobEventMapper eventMapper) {
        this.pool = pool;
        this.views = views;
        this.viewMapper = viewMapper;
        this.eventMapper = eventMapper;
    }

    /** Returns whether the snapshot was applied. */
    public Uni<Boolean> apply(JobStatus status) {
        return pool.withTransaction(conn -> views.applyIfNewer(conn, viewMapper.toUpdate(status)).chain(applied -> applied
                ? views.appendEvent(conn, status.jobId(), WireNames.of(status.trigger()), eventMapper.fromStatus(status),
                        status.timestamp()).replaceWith(true)
                : Uni.createFrom().item(false)));
    }
}
