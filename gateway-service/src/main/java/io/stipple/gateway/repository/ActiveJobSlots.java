package io.stipple.gateway.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A tenant's unfinished jobs as a counter ({@code tenants.active_jobs}), so that the concurrent-job
 * limit needs neither a lock taken for the whole submission nor a count over the tenant's jobs.
 * A submission takes a slot with one conditional increment, in the statement that stores the job
 * ({@link SubmissionRepository}); the job's first terminal snapshot gives it back, exactly once, guarded
 * by the job's own {@code holds_active_slot} flag, in the statement that applies the snapshot
 * ({@link JobViewRepository#project}).
 */
@ApplicationScoped
public class ActiveJobSlots {

    /** The tenant's unfinished jobs as last committed (for messages; no lock). */
    public Uni<Integer> count(SqlClient client, String tenantId) {
        return client.preparedQuery("select active_jobs from gateway.tenants where id = $1")
                .execute(Tuple.of(tenantId))
                .map(rows -> rows.size() == 0 ? 0 : rows.iterator().next().getInteger(0));
    }
}
