package io.stipple.scheduler.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Retries handling a readable message whose transaction or publish failed (database or Kafka
 * unavailable, a lock conflict) until it succeeds, with backoff capped at a few seconds: handling is
 * idempotent, so a retry is safe, and the channel keeps its place instead of stopping. An outage of
 * any length therefore ends with the scheduler consuming again without a restart of its own.
 * (It used to give up after 8 attempts, about 25 s; the channel's {@code fail} strategy then stopped
 * consumption until the process restarted.) Skipping the message instead would lose a job state change.
 */
@ApplicationScoped
public class TransientFailureRetry {

    private static final Logger LOG = Logger.getLogger(TransientFailureRetry.class);

    private final Duration initialBackoff;
    private final Duration maxBackoff;

    public TransientFailureRetry() {
        this(Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    TransientFailureRetry(Duration initialBackoff, Duration maxBackoff) {
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    public Uni<Void> retry(Uni<Void> handling) {
        AtomicLong failures = new AtomicLong();
        return handling
                .onFailure().invoke(failure -> LOG.warnf("handling failed (%d times for this message), will retry: %s",
                        failures.incrementAndGet(), failure.toString()))
                .onFailure().retry().withBackOff(initialBackoff, maxBackoff).indefinitely();
    }
}
