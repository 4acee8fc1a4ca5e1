package io.stipple.scheduler.messaging;

import io.stipple.contracts.JobMessage;
import io.stipple.contracts.status.JobStatus;
import io.stipple.contracts.work.FineTuneWorkItem;
import io.stipple.contracts.work.JobControl;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages decided inside a transaction, to be sent once it has committed, in this order. Built
 * mutable while a transaction collects them; sent as a whole.
 */
public final class Publication {

    /** Where a message goes. */
    public enum Destination { STATUS, WORK, CONTROL, DEAD_LETTER }

    public record Outgoing(Destination destination, JobMessage message) {
    }

    private final List<Outgoing> messages = new ArrayList<>();

    public static Publication empty() {
        return new Publication();
    }

    public Publication status(JobStatus status) {
        messages.add(new Outgoing(Destination.STATUS, status));
        return this;
    }

    public Publication work(JobMessage workItem) {
        messages.add(new Outgoing(Destination.WORK, workItem));
        return this;
    }

    public Publication control(JobControl control) {
        messages.add(new Outgoing(Destination.CONTROL, control));
        return this;
    }

    public Publication deadLetter(JobMessage workItem) {
        messages.add(new Outgoing(Destination.DEAD_LETTER, workItem));
        return this;
    }

    public Publication addAll(Publication other) {
        messages.addAll(other.messages);
        return this;
    }

    public List<Outgoing> messages() {
        return List.copyOf(messages);
    }

    /** True for a work item of a fine-tune, which goes to the trainers' topic. */
    static boolean isFineTune(JobMessage workItem) {
        return workItem instanceof FineTuneWorkItem;
    }
}
