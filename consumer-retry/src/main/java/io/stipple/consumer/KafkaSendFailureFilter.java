package io.stipple.consumer;

import io.quarkus.logging.LoggingFilter;
import java.util.Set;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Drops the Kafka connector's ERROR lines for a record it could not send ({@code SRMSG18206}) and for
 * nacking it ({@code SRMSG18212}). In the gateway and the scheduler every record is sent by an outbox
 * relay, which keeps the row for the next round and logs the outage itself, once when it starts and once
 * when it ends ({@link OutageLog}); the connector logged one or two ERRORs per row per round, so a broker
 * outage with a backlog of a few hundred rows wrote hundreds of ERRORs every round. Other lines of the
 * connector, and these lines from any other logger, pass. A service enables it on its console handler:
 * {@code quarkus.log.console.filter=outbox-send-failures}.
 */
@LoggingFilter(name = KafkaSendFailureFilter.NAME)
public final class KafkaSendFailureFilter implements Filter {

    public static final String NAME = "outbox-send-failures";

    /** The connector's logger (SmallRye Reactive Messaging's Kafka connector, {@code KafkaLogging}). */
    static final String CONNECTOR_LOGGER = "io.smallrye.reactive.messaging.kafka";

    private static final Set<String> DROPPED = Set.of("SRMSG18206", "SRMSG18212");

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record.getMessage();
        return !(CONNECTOR_LOGGER.equals(record.getLoggerName()) && message != null && message.length() >= 10
                && DROPPED.contains(message.substring(0, 10)));
    }
}
