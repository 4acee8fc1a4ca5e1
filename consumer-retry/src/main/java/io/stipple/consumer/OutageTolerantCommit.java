package io.stipple.consumer;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import io.smallrye.reactive.messaging.kafka.commit.KafkaThrottledLatestProcessedCommit;
import io.smallrye.reactive.messaging.kafka.commit.KafkaThrottledLatestProcessedCommit.TooManyMessagesWithoutAckException;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Commit strategy {@value #STRATEGY}: SmallRye's {@code throttled} strategy (commits the latest offset
 * handled in sequence), whose stuck-record check ({@code throttled.unprocessed-record-max-age.ms})
 * closes the consumer when a record stays unacknowledged too long. A record that {@link ConsumerRetry}
 * keeps retrying during a database outage is such a record, by design; closing the consumer then made
 * an outage longer than the limit end with a service that never consumed again. So the check is
 * ignored for a channel while it waits out an outage, and for one limit after (the records received
 * meanwhile are handled then); a record stuck without failing, a hang, still closes the consumer and
 * turns the channel's health DOWN, as before.
 */
@ApplicationScoped
@Identifier(OutageTolerantCommit.STRATEGY)
public class OutageTolerantCommit implements KafkaCommitHandler.Factory {

    /** The value of a channel's {@code commit-strategy} attribute that selects this strategy. */
    public static final String STRATEGY = "throttled-outage-tolerant";

    private static final Logger LOG = Logger.getLogger(OutageTolerantCommit.class);

    private final ConsumerRetry retry;
    private final KafkaThrottledLatestProcessedCommit.Factory throttled = new KafkaThrottledLatestProcessedCommit.Factory();

    public OutageTolerantCommit(ConsumerRetry retry) {
        this.retry = retry;
    }

    @Override
    public KafkaCommitHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx, KafkaConsumer<?, ?> consumer,
            BiConsumer<Throwable, Boolean> reportFailure) {
        String channel = channelOf(config.getChannel());
        Duration limit = Duration.ofMillis(config.getThrottledUnprocessedRecordMaxAgeMs());
        return throttled.create(config, vertx, consumer, (failure, fatal) -> {
            if (failure instanceof TooManyMessagesWithoutAckException && retry.waitingOrRecovering(channel, limit)) {
                LOG.debugf("%s: a record is older than %s while the channel waits out an outage; consumer kept", channel,
                        limit);
                return;
            }
            reportFailure.accept(failure, fatal);
        });
    }

    /**
     * The channel a consumer belongs to: with {@code concurrency} n > 1, SmallRye runs n copies of a channel
     * named {@code channel$1} ... {@code channel$n}, while the handler tells {@link ConsumerRetry} the
     * channel's own name. An outage is every copy's, so each copy tolerates it while any waits it out.
     */
    static String channelOf(String consumerChannel) {
        int copy = consumerChannel.indexOf('$');
        return copy < 0 ? consumerChannel : consumerChannel.substring(0, copy);
    }
}
