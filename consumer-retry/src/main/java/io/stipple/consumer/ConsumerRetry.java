package io.stipple.consumer;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Retries the handling of a readable record in place, with backoff capped at a few seconds, until it
 * succeeds: handling is idempotent, the record stays unacknowledged and the channel keeps its place,
 * so an outage of the database (or of Kafka, for what the handling publishes) of any length ends with
 * the consumer handling again, and no state change is skipped. It also tells
 * {@link OutageTolerantCommit} which channels are waiting out such an outage.
 *
 * <p>An outage is logged per channel once when a record first fails, at WARN, and once when a record of the
 * channel is handled again ({@link OutageLog}); a WARN per retry was one every 5 s per waiting channel.
 */
@ApplicationScoped
public class ConsumerRetry {

    private static final Logger LOG = Logger.getLogger(ConsumerRetry.class);
    static final Duration INITIAL_BACKOFF = Duration.ofMillis(200);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final Map<String, ChannelWaits> channels = new ConcurrentHashMap<>();
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    public ConsumerRetry() {
        this(INITIAL_BACKOFF, MAX_BACKOFF);
    }

    ConsumerRetry(Duration initialBackoff, Duration maxBackoff) {
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** Subscribes to {@code handling} again after each failure until it succeeds; completes with its item. */
    public <T> Uni<T> untilHandled(String channel, Supplier<Uni<T>> handling) {
        ChannelWaits waits = waits(channel);
        AtomicBoolean waiting = new AtomicBoolean();
        return Uni.createFrom().deferred(handling::get)
                .onFailure().invoke(failure -> {
                    if (waiting.compareAndSet(false, true)) {
                        waits.started();
                    }
                    waits.outage.failed(failure);
                })
                .onFailure().retry().withBackOff(initialBackoff, maxBackoff).indefinitely()
                .invoke(waits.outage::succeeded)
                .onTermination().invoke(() -> {
                    if (waiting.compareAndSet(true, false)) {
                        waits.ended();
                    }
                });
    }

    /**
     * True while a record of the channel is being retried, and for {@code grace} after the last such
     * wait ended: the records received during the outage then get that long to be handled.
     */
    public boolean waitingOrRecovering(String channel, Duration grace) {
        return waits(channel).waitingOrEndedWithin(grace);
    }

    private ChannelWaits waits(String channel) {
        return channels.computeIfAbsent(channel, ChannelWaits::new);
    }

    /** How many records of one channel are being retried, when the last wait ended, and the channel's outage log. */
    private static final class ChannelWaits {
        private final OutageLog outage;
        private final AtomicLong waiting = new AtomicLong();
        private volatile long lastEndedNanos;
        private volatile boolean everEnded;

        ChannelWaits(String channel) {
            outage = new OutageLog(LOG, "handling records of " + channel);
        }

        void started() {
            waiting.incrementAndGet();
        }

        void ended() {
            lastEndedNanos = System.nanoTime();
            everEnded = true;
            waiting.decrementAndGet();
        }

        boolean waitingOrEndedWithin(Duration grace) {
            return waiting.get() > 0 || (everEnded && System.nanoTime() - lastEndedNanos < grace.toNanos());
        }
    }
}
