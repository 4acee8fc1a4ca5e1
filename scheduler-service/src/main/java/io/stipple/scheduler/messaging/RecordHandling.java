package io.stipple.scheduler.messaging;

import io.smallrye.mutiny.Uni;
import io.stipple.consumer.ConsumerRetry;
import io.stipple.scheduler.service.DispatchNudge;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * How the scheduler's consumers handle a readable record: commit its change (retried until the database
 * takes it), which writes the messages it decided into the outbox in the same transaction, start the
 * outbox relay, then run the dispatch the change may have unblocked. The returned Uni completes after
 * that, and only then is the record acknowledged: once committed, the change's messages are the relay's to
 * send, however long the broker is away, so a consumer never waits for Kafka.
 */
@ApplicationScoped
public class RecordHandling {

    private final ConsumerRetry retry;
    private final OutboxRelay relay;
    private final DispatchNudge nudge;

    public RecordHandling(ConsumerRetry retry, OutboxRelay relay, DispatchNudge nudge) {
        this.retry = retry;
        this.relay = relay;
        this.nudge = nudge;
    }

    /** Commits {@code change} (retried as above), starts the relay for its messages and nudges the dispatch. */
    public Uni<Void> commit(String channel, Supplier<Uni<Publication>> change) {
        return retry.untilHandled(channel, change)
                .invoke(relay::after)
                .flatMap(nudge::after);
    }
}
