package io.stipple.gateway.repository;

import java.util.UUID;

/**
 * A message waiting in the outbox: its Kafka topic, key (the job id), JSON payload and the
 * traceparent of the request that wrote it (null when that request was not traced).
 */
public record OutboxRow(long id, UUID jobId, String topic, String payload, String traceParent) {
}
