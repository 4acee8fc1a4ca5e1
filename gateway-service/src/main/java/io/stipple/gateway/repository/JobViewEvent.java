package io.stipple.gateway.repository;

import java.time.Instant;

/** One entry of a job's event log; {@code id} is the SSE event id. */
public record JobViewEvent(long id, String type, String dataJson, Instant at) {
}
