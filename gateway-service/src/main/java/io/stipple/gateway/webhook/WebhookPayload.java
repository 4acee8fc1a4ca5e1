package io.stipple.gateway.webhook;

import io.stipple.contracts.spec.WebhookEvent;
import io.stipple.gateway.rest.model.JobResource;
import java.time.Instant;
import java.util.Locale;

/**
 * The body of a webhook notification, in the Standard Webhooks shape: {@code type} such as
 * {@code job.succeeded}, {@code timestamp} (when the change happened, the snapshot's), and as {@code data}
 * the job resource exactly as {@code GET /v1/jobs/{id}} answers it at that change.
 */
public record WebhookPayload(String type, Instant timestamp, JobResource data) {

    public static String type(WebhookEvent event) {
        return "job." + event.name().toLowerCase(Locale.ROOT);
    }
}
