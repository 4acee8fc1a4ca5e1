package io.stipple.gateway.webhook;

import io.stipple.contracts.spec.WebhookEvent;
import io.stipple.contracts.status.StatusTrigger;
import java.util.Optional;

/** Which webhook event, if any, a status change is. Re-queues and cancel requests are not notified. */
public final class WebhookEvents {

    private WebhookEvents() {
    }

    public static Optional<WebhookEvent> of(StatusTrigger trigger) {
        return Optional.ofNullable(switch (trigger) {
            case QUEUED -> WebhookEvent.QUEUED;
            case RUNNING -> WebhookEvent.RUNNING;
            case PROGRESS -> WebhookEvent.PROGRESS;
            case SUCCEEDED -> WebhookEvent.SUCCEEDED;
            case FAILED -> WebhookEvent.FAILED;
            case CANCELED -> WebhookEvent.CANCELED;
            case REQUEUED, CANCEL_REQUESTED -> null;
        });
    }
}
