package io.stipple.scheduler.repository;

import java.util.List;

/**
 * The jobs' event log lines as one statement's input: {@link OutboxRepository#insertAll} appends them in the
 * statement that writes the outbox rows of the same changes.
 */
final class JobEventRows {

    /**
     * In the list's order, so ids follow it; for jobs whose rows exist already (the log refers to them). Its
     * parameter is {@code :events}, the value of {@link #json}.
     */
    static final String APPEND = """
            insert into scheduler.job_events
                (job_id, status_sequence, attempt, type, status, detail, source, occurred_at, recorded_at)
            select job_id, status_sequence, attempt, type, status, detail, source, occurred_at, recorded_at
            from jsonb_to_recordset(cast(cast(:events as text) as jsonb)) as r(place integer, job_id uuid, status_sequence bigint,
                attempt integer, type text, status text, detail text, source text, occurred_at timestamptz,
                recorded_at timestamptz)
            order by r.place
            """;

    private JobEventRows() {
    }

    /** The lines as {@link #APPEND}'s parameter (an empty array appends none). */
    static String json(List<JobEventEntity> events) {
        JsonRows rows = new JsonRows(events.size());
        for (JobEventEntity event : events) {
            rows.row().put("job_id", event.jobId).put("status_sequence", event.statusSequence)
                    .put("attempt", event.attempt).put("type", event.type).put("status", event.status)
                    .put("detail", event.detail).put("source", event.source)
                    .put("occurred_at", event.occurredAt).put("recorded_at", event.recordedAt);
        }
        return rows.json();
    }
}
