package io.stipple.consumer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.junit.jupiter.api.Test;

class KafkaSendFailureFilterTest {

    private final KafkaSendFailureFilter filter = new KafkaSendFailureFilter();

    @Test
    void theConnectorsPerRecordSendFailuresAreDropped() {
        assertFalse(filter.isLoggable(record(KafkaSendFailureFilter.CONNECTOR_LOGGER,
                "SRMSG18206: Unable to write to Kafka from channel %s (topic: %s)")));
        assertFalse(filter.isLoggable(record(KafkaSendFailureFilter.CONNECTOR_LOGGER,
                "SRMSG18212: Message %s from channel '%s' was not sent to Kafka topic '%s' - nacking message")));
    }

    @Test
    void everythingElsePasses() {
        assertTrue(filter.isLoggable(record(KafkaSendFailureFilter.CONNECTOR_LOGGER,
                "SRMSG18203: A message sent to channel `%s` has been nacked, fail-stop")));
        assertTrue(filter.isLoggable(record("io.stipple.gateway.messaging.OutboxRelay",
                "SRMSG18206: a line of ours that happens to start like the connector's")));
        assertTrue(filter.isLoggable(record(KafkaSendFailureFilter.CONNECTOR_LOGGER, null)));
    }

    private static ExtLogRecord record(String logger, String message) {
        ExtLogRecord record = new ExtLogRecord(Level.ERROR, message, ExtLogRecord.FormatStyle.PRINTF,
                KafkaSendFailureFilterTest.class.getName());
        record.setLoggerName(logger);
        return record;
    }
}
