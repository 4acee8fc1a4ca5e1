package io.stipple.gateway.repository;

import java.util.UUID;

/** A message waiting in the outbox: its Kafka topic, key (the job id) and JSON payload. */
public record OutboxRow(long id, UUID jobId, String topic, String payload) {
}
