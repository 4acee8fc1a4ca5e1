package io.stipple.gateway.rest.model;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Durations derived from the job's timestamps; null until both ends are known.
 *
 * @param queueSeconds created -> started (of the current attempt)
 * @param runSeconds   started -> completed
 */
@Schema(name = "JobMetrics")
public record JobMetrics(Double queueSeconds, Double runSeconds) {
}
