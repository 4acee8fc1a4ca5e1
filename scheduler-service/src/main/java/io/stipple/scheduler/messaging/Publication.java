package io.stipple.scheduler.messaging;

import io.stipple.contracts.JobMessage;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.JobStatus;
import io.stipple.contracts.work.JobControl;
import io.stipple.contracts.work.LeasedWorkItem;
import io.stipple.scheduler.repository.OutboxRepository.WrittenRow;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Messages decided inside a transaction, in this order. {@link Outbox} writes them in that transaction (its status
 * snapshots after the rest) (and notes
 * the rows here) and {@link OutboxRelay#after} sends them once it has committed; the publication then also says
 * what the committed change may have unblocked. Built mutable while a transaction collects them.
 */
public final class Publication {

    /** Where a message goes. */
    public enum Destination { STATUS, WORK, CONTROL, DEAD_LETTER }

    /** @param traceParent the job's trace, which the message continues; null: the sender's current one */
    public record Outgoing(Destination destination, JobMessage message, String traceParent) {
    }

    private final List<Outgoing> messages = new ArrayList<>();
    private final List<WrittenRow> written = new ArrayList<>();
    private final String traceParent;

    private Publication(String traceParent) {
        this.traceParent = traceParent;
    }

    public static Publication empty() {
        return new Publication(null);
    }

    /** An empty publication whose messages (all about one job) continue that job's trace. */
    public static Publication inTrace(String traceParent) {
        return new Publication(traceParent);
    }

    public Publication status(JobStatus status) {
        messages.add(new Outgoing(Destination.STATUS, status, traceParent));
        return this;
    }

    public Publication work(LeasedWorkItem workItem) {
        messages.add(new Outgoing(Destination.WORK, workItem, traceParent));
        return this;
    }

    public Publication control(JobControl control) {
        messages.add(new Outgoing(Destination.CONTROL, control, traceParent));
        return this;
    }

    public Publication deadLetter(LeasedWorkItem workItem) {
        messages.add(new Outgoing(Destination.DEAD_LETTER, workItem, traceParent));
        return this;
    }

    public Publication addAll(Publication other) {
        messages.addAll(other.messages);
        written.addAll(other.written);
        return this;
    }

    /** Notes the outbox rows written for these messages (by {@link Outbox#store}, in the transaction). */
    void written(List<WrittenRow> rows) {
        written.addAll(rows);
    }

    /** The outbox rows written for these messages, in id order; empty until {@link Outbox#store} wrote them. */
    public List<WrittenRow> written() {
        return List.copyOf(written);
    }

    public boolean isEmpty() {
        return messages.isEmpty();
    }

    public List<Outgoing> messages() {
        return List.copyOf(messages);
    }

    /**
     * The job kinds whose dispatch this publication may unblock: a job of that kind became queued
     * (new or retried work) or finished (a slot freed).
     */
    public Set<JobKind> kindsToDispatch() {
        Set<JobKind> kinds = EnumSet.noneOf(JobKind.class);
        for (Outgoing outgoing : messages) {
            if (outgoing.message() instanceof JobStatus status
                    && (status.status() == JobState.QUEUED || status.status().isTerminal())) {
                kinds.add(status.kind());
            }
        }
        return kinds;
    }
}
