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
import java.util.Comparator;
import java.util.List;

/**
 * Writes the messages a change decided into the outbox, in the change's transaction, each as the exact record to
 * send: channel (and a worker pool's topic), key, JSON value and the job's trace. {@link OutboxRelay#after} sends
 * them once the transaction has committed, a job's rows one after the other in id order. The rows follow the
 * publication's order, but its status snapshots come after its other messages.
 *
 * <p>Why the snapshots last: a job's rows are sent one after the other, each once the one before was
 * acknowledged, and a lone job's request commits its {@code queued} snapshot with its work item. In the
 * publication's order the worker's item waited for the snapshot's acknowledgement (a Kafka round trip, 3-17 ms)
 * before it was sent, though the snapshot goes to the gateway on a topic of its own, where only the order of a
 * job's snapshots matters; they keep it, and the job's later messages still wait for both.
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
        List<OutboxMessageEntity> ordered = publication.messages().stream()
                .sorted(Comparator.comparing(outgoing -> outgoing.destination() == Publication.Destination.STATUS))
                .map(this::toRow)
                .toList();
        return rows.insertAll(ordered, logLines)
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
