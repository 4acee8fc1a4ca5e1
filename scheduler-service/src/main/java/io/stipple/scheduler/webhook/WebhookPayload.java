package io.stipple.scheduler.webhook;

import io.stipple.contracts.spec.WebhookEvent;
import io.stipple.contracts.status.JobStatus;
import java.time.Instant;
import java.util.Locale;

/**
 * The body of a webhook notification, in the Standard Webhooks shape: {@code type} such as
 * {@code job.succeeded}, {@code timestamp}, and the job's status snapshot as {@code data}.
 */
public record WebhookPayload(String type, Instant timestamp, JobStatus data) {

    public static WebhookPayload of(WebhookEvent event, JobStatus status) {
        return new WebhookPayload("job." + event.name().toLowerCase(Locale.ROOT), status.timestamp(), status);
    }
}
