package io.stipple.runtime;

import io.stipple.contracts.work.LeasedWorkItem;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * A job-running service's work channel: reads each item, holds it when there is room
 * ({@link HeldJobs#holdWhenRoom}), hands the held job to {@code start}, then sends its first heartbeat
 * ({@link HeldJobs#announce}) and acknowledges the item: the job's start waits for neither (both are sends to
 * Kafka, and a job that starts at once reports running itself). The acknowledgement commits the item's offset
 * ({@link ReceiptCommit}); the held job keeps that commit as its receipt, which its terminal event waits for
 * ({@link JobReporter}). The returned stage completes once the item is held, not when the commit is confirmed,
 * so the next item is not delayed by it; until there is room it stays open, and the connector pauses meanwhile
 * (back-pressure). An unreadable item, a duplicate of a held attempt and an item whose lease ran out are
 * acknowledged and dropped: each would be dropped again on every redelivery.
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
        return receive(message, start);
    }

    /** As {@link #receive(Message)}, with this item's job handed to {@code start} instead of the receiver's. */
    public CompletionStage<Void> receive(Message<String> message, Consumer<HeldJob<W>> start) {
        Optional<W> item = WorkItems.read(message.getPayload(), type);
        if (item.isEmpty()) {
            return message.ack();
        }
        return held.holdWhenRoom(item.get()).thenAccept(taken -> {
            if (taken.isEmpty()) {
                message.ack();
                return;
            }
            HeldJob<W> job = taken.get();
            // The receipt is the job's before it starts: its end may come before the commit is even asked for.
            CompletableFuture<Void> receipt = new CompletableFuture<>();
            job.receipt(receipt);
            start.accept(job);
            held.announce(job);
            message.ack().whenComplete((done, failure) -> {
                if (failure == null) {
                    receipt.complete(null);
                } else {
                    receipt.completeExceptionally(failure);
                }
            });
        });
    }
}
