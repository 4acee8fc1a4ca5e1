package io.stipple.scheduler.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Appends to the jobs' event log. Every method runs in the caller's reactive transaction. */
@ApplicationScoped
public class JobEventRepository {

    /** In the list's order, so ids follow it; for jobs whose rows exist already (the log refers to them). */
    private static final String APPEND = """
            insert into scheduler.job_events
                (job_id, status_sequence, attempt, type, status, detail, source, occurred_at, recorded_at)
            select job_id, status_sequence, attempt, type, status, detail, source, occurred_at, recorded_at
            from jsonb_to_recordset(cast(cast(:rows as text) as jsonb)) as r(place integer, job_id uuid, status_sequence bigint,
                attempt integer, type text, status text, detail text, source text, occurred_at timestamptz,
                recorded_at timestamptz)
            order by r.place
            """;

    /** Appends the events with one statement, whatever their number. */
    public Uni<Void> appendAll(List<JobEventEntity> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        JsonRows rows = new JsonRows(events.size());
        for (JobEventEntity event : events) {
            rows.row().put("job_id", event.jobId).put("status_sequence", event.statusSequence)
                    .put("attempt", event.attempt).put("type", event.type).put("status", event.status)
                    .put("detail", event.detail).put("source", event.source)
                    .put("occurred_at", event.occurredAt).put("recorded_at", event.recordedAt);
        }
        return Panache.getSession().flatMap(session -> session.createNativeQuery(APPEND)
                        .setParameter("rows", rows.json())
                        .executeUpdate())
                .replaceWithVoid();
    }
}
