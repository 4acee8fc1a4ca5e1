package io.stipple.scheduler.messaging;

import java.time.Duration;

/** Kafka did not acknowledge a message within {@code scheduler.publishing.send-timeout}: the broker is away or overloaded. */
public final class SendTimeoutException extends RuntimeException {

    SendTimeoutException(Publication.Outgoing outgoing, Duration timeout) {
        super("Kafka did not acknowledge the " + outgoing.message().getClass().getSimpleName() + " of job "
                + outgoing.message().jobId() + " (" + outgoing.destination() + ") within " + timeout);
    }
}
