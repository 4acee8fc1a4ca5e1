package io.stipple.scheduler.messaging;

import io.stipple.scheduler.repository.OutboxMessageEntity;
import java.time.Duration;

/** Kafka did not acknowledge an outbox row within {@code scheduler.publishing.send-timeout}: the broker is away or overloaded. */
public final class SendTimeoutException extends RuntimeException {

    SendTimeoutException(OutboxMessageEntity row, Duration timeout) {
        super("Kafka did not acknowledge outbox row " + row.id + " of job " + row.jobId + " (" + row.channel + ") within "
                + timeout);
    }
}
