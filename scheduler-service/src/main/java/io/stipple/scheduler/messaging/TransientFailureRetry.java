package io.stipple.scheduler.messaging;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Retries handling a readable message whose transaction or publish failed (database or Kafka
 * briefly unavailable, a lock conflict): handling is idempotent, so a retry is safe. If it still fails,
 * the failure reaches the channel, whose {@code fail} strategy stops it: the record stays
 * unacknowledged, readiness turns DOWN, and after a restart the record is redelivered. Skipping it
 * instead would lose a job state change for good.
 */
@ApplicationScoped
public class TransientFailureRetry {

    private static final Logger LOG = Logger.getLogger(TransientFailureRetry.class);
    private static final int ATTEMPTS = 8;

    public Uni<Void> retry(Uni<Void> handling) {
        return handling
                .onFailure().invoke(failure -> LOG.warnf("handling failed, will retry: %s", failure.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(5)).atMost(ATTEMPTS);
    }
}
