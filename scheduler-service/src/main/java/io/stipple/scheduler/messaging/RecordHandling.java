package io.stipple.scheduler.messaging;

import io.smallrye.mutiny.Uni;
import io.stipple.consumer.ConsumerRetry;
import io.stipple.scheduler.service.DispatchNudge;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/**
 * How the scheduler's consumers handle a readable record: commit its change (retried until the database
 * takes it), publish what the change decided (the same publication retried until Kafka acknowledged it,
 * each try bounded by {@code scheduler.publishing.send-timeout}), then run the dispatch it may have
 * unblocked. The returned Uni completes after that, and only then is the record acknowledged.
 *
 * <p>The two retries are apart on purpose. Retried as one, a change whose publication failed would run
 * again and find itself applied (a duplicate submission, a second cancel): that republishes the job's
 * current snapshot, but not the other messages the first run decided (the worker's cancel, a dead
 * letter). And bounded sends make a broker outage a retry, which
 * {@link io.stipple.consumer.OutageTolerantCommit} tolerates however long it lasts, not a hang that
 * closes the consumer at the stuck-record limit.
 */
@ApplicationScoped
public class RecordHandling {

    private final MessagePublisher publisher;
    private final ConsumerRetry retry;
    private final DispatchNudge nudge;

    public RecordHandling(MessagePublisher publisher, ConsumerRetry retry, DispatchNudge nudge) {
        this.publisher = publisher;
        this.retry = retry;
        this.nudge = nudge;
    }

    /** Commits {@code change}, publishes its publication and nudges the dispatch, each retried as above. */
    public Uni<Void> commitThenPublish(String channel, Supplier<Uni<Publication>> change) {
        return retry.untilHandled(channel, change)
                .call(publication -> retry.untilHandled(channel, () -> publisher.publish(publication)))
                .flatMap(nudge::after);
    }
}
