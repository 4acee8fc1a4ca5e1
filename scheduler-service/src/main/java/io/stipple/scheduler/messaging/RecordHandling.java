package io.stipple.scheduler.messaging;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stipple.consumer.ConsumerRetry;
import io.stipple.scheduler.repository.DatabaseOutages;
import io.stipple.scheduler.service.DispatchInTransaction;
import io.stipple.scheduler.service.DispatchInTransaction.Committed;
import io.stipple.scheduler.service.DispatchNudge;
import io.stipple.scheduler.service.Transitions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * How the scheduler's consumers handle the readable records of one poll: commit their changes in one
 * transaction, which writes the messages they decided into the outbox too and, when it can without waiting,
 * dispatches the jobs the changes unblocked ({@link DispatchInTransaction}); then start the outbox relay and
 * the dispatch still due, once for the batch. The returned Uni completes once every change
 * committed, and then the batch is acknowledged: the messages are the relay's to send, however long the broker
 * is away, so a consumer never waits for Kafka; and the dispatch, best-effort with the timed round behind it,
 * runs beside the next batch ({@link DispatchNudge}).
 *
 * <p>A batch whose transaction fails because the database is away is retried as a whole until it commits
 * ({@link ConsumerRetry}, as a single record always was). One that fails for another reason (a record the
 * database refuses, a deadlock) is handled again one record at a time, each in its own transaction and retried
 * until it commits, in order: the records before the culprit commit, and the channel waits on the culprit alone,
 * as it did before batches.
 */
@ApplicationScoped
public class RecordHandling {

    private static final Logger LOG = Logger.getLogger(RecordHandling.class);

    private final ConsumerRetry retry;
    private final OutboxRelay relay;
    private final DispatchNudge nudge;
    private final DispatchInTransaction dispatch;

    public RecordHandling(ConsumerRetry retry, OutboxRelay relay, DispatchNudge nudge, DispatchInTransaction dispatch) {
        this.retry = retry;
        this.relay = relay;
        this.nudge = nudge;
        this.dispatch = dispatch;
    }

    /**
     * Commits {@code change} of the inputs (retried, or split, as above), then starts the relay for its messages
     * and the dispatch.
     *
     * @param change applies its inputs, in the list's order, in the caller's transaction, and returns their
     *               transitions for it to store
     */
    public <T> Uni<Void> commitAll(String channel, List<T> inputs, Function<List<T>, Uni<Transitions>> change) {
        if (inputs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return retry.untilHandled(channel, () -> committedOrRefused(channel, inputs, change))
                .chain(committed -> committed.isPresent()
                        ? Uni.createFrom().voidItem().invoke(() -> started(committed.get()))
                        : oneByOne(channel, inputs, change));
    }

    /** What the batch committed; empty when a batch of several failed for a reason not the database's. */
    private <T> Uni<Optional<Committed>> committedOrRefused(String channel, List<T> inputs,
            Function<List<T>, Uni<Transitions>> change) {
        return Uni.createFrom().deferred(() -> dispatch.commit(() -> change.apply(inputs))).map(Optional::of)
                .onFailure(failure -> inputs.size() > 1 && !DatabaseOutages.isOutage(failure))
                .recoverWithItem(failure -> {
                    LOG.warnf("%s: a batch of %d records failed (%s); handling them one at a time", channel, inputs.size(),
                            failure.toString());
                    return Optional.empty();
                });
    }

    private <T> Uni<Void> oneByOne(String channel, List<T> inputs, Function<List<T>, Uni<Transitions>> change) {
        return Multi.createFrom().iterable(inputs)
                .onItem().transformToUniAndConcatenate(input -> retry.untilHandled(channel,
                                () -> dispatch.commit(() -> change.apply(List.of(input))))
                        .invoke(this::started))
                .collect().last()
                .replaceWithVoid();
    }

    private void started(Committed committed) {
        relay.after(committed.published());
        nudge.after(committed.toDispatch());
    }
}
