package io.stipple.scheduler.messaging;

import io.smallrye.mutiny.Uni;
import io.stipple.consumer.ConsumerRetry;
import io.stipple.scheduler.service.DispatchNudge;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * How the scheduler's consumers handle a readable record: commit its change (retried until the database
 * takes it), which writes the messages it decided into the outbox in the same transaction, then start the
 * outbox relay and the dispatch the change may have unblocked. The returned Uni completes once the change
 * committed, and then the record is acknowledged: the change's messages are the relay's to send, however
 * long the broker is away, so a consumer never waits for Kafka; and the dispatch, best-effort with the
 * timed round behind it, runs beside the next records ({@link DispatchNudge}).
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

    /** Commits {@code change} (retried as above), then starts the relay for its messages and the dispatch. */
    public Uni<Void> commit(String channel, Supplier<Uni<Publication>> change) {
        return retry.untilHandled(channel, change)
                .invoke(relay::after)
                .invoke(nudge::after)
                .replaceWithVoid();
    }
}
