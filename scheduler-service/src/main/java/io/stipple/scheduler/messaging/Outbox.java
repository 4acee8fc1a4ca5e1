package io.stipple.scheduler.messaging;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.work.LeasedWorkItem;
import io.stipple.scheduler.repository.JobEventEntity;
import io.stipple.scheduler.repository.OutboxMessageEntity;
import io.stipple.scheduler.repository.OutboxRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * Writes the messages a change decided into the outbox, in the change's transaction and in the
 * publication's order, each as the exact record to send: channel (and a worker pool's topic), key,
 * JSON value and the job's trace. {@link OutboxRelay#after} sends them once the transaction has committed.
 */
@ApplicationScoped
public class Outbox {

    private final OutboxRepository rows;
    private final WorkRouting routing;
    private final Clock clock;

    public Outbox(OutboxRepository rows, WorkRouting routing, Clock clock) {
        this.rows = rows;
        this.routing = routing;
        this.clock = clock;
    }

    /**
     * Stores one row per message and the change's event log lines, all with one statement, and notes the rows in
     * the publication; call inside the transaction of the change, once the lines' jobs are written.
     */
    public Uni<Void> store(Publication publication, List<JobEventEntity> logLines) {
        return rows.insertAll(publication.messages().stream().map(this::toRow).toList(), logLines)
                .invoke(rows -> publication.written(rows))
                .replaceWithVoid();
    }

    private OutboxMessageEntity toRow(Publication.Outgoing outgoing) {
        OutboxMessageEntity row = new OutboxMessageEntity();
        row.jobId = outgoing.message().jobId();
        row.channel = channel(outgoing);
        if (outgoing.destination() == Publication.Destination.WORK) {
            row.topic = routing.poolTopic(workItem(outgoing)).orElse(null);
        }
        row.payload = new String(ContractsJson.write(outgoing.message()), StandardCharsets.UTF_8);
        row.traceParent = outgoing.traceParent();
        row.createdAt = clock.instant();
        return row;
    }

    private static String channel(Publication.Outgoing outgoing) {
        return switch (outgoing.destination()) {
            case STATUS -> Channels.JOB_STATUS;
            case WORK -> workChannel(workItem(outgoing).kind());
            case CONTROL -> Channels.JOB_CONTROL;
            case DEAD_LETTER -> Channels.WORK_DEAD_LETTER;
        };
    }

    /** The shared work channel of a kind; no default, so a new kind fails to compile here until it has one. */
    private static String workChannel(JobKind kind) {
        return switch (kind) {
            case GENERATION -> Channels.WORK_GENERATION;
            case FINETUNE -> Channels.WORK_FINETUNE;
            case MODEL_IMPORT -> Channels.WORK_MODEL_IMPORT;
        };
    }

    /** The message of a WORK destination, which {@link Publication#work} only takes as a leased work item. */
    private static LeasedWorkItem workItem(Publication.Outgoing outgoing) {
        return (LeasedWorkItem) outgoing.message();
    }
}
