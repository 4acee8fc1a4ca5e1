package io.stipple.runtime;

import io.stipple.contracts.work.LeasedWorkItem;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * A job-running service's work channel: reads each item, holds it when there is room
 * ({@link HeldJobs#holdWhenRoom}), acknowledges it then, and hands the held job to {@code start}.
 * The acknowledgement commits the item's offset ({@link ReceiptCommit}); the held job keeps that
 * commit as its receipt, which its terminal event waits for ({@link JobReporter}). The returned stage
 * completes once the item is held, not when the commit is confirmed, so the next item is not delayed
 * by it; until there is room it stays open, and the connector pauses meanwhile (back-pressure).
 * An unreadable item, a duplicate of a held attempt and an item whose lease ran out are acknowledged
 * and dropped: each would be dropped again on every redelivery.
 */
public final class WorkItemReceiver<W extends LeasedWorkItem> {

    private final Class<W> type;
    private final HeldJobs held;
    private final Consumer<HeldJob<W>> start;

    public WorkItemReceiver(Class<W> type, HeldJobs held, Consumer<HeldJob<W>> start) {
        this.type = type;
        this.held = held;
        this.start = start;
    }

    public CompletionStage<Void> receive(Message<String> message) {
        Optional<W> item = WorkItems.read(message.getPayload(), type);
        if (item.isEmpty()) {
            return message.ack();
        }
        return held.holdWhenRoom(item.get()).thenAccept(taken -> {
            CompletionStage<Void> receipt = message.ack();
            taken.ifPresent(job -> {
                job.receipt(receipt);
                start.accept(job);
            });
        });
    }
}
