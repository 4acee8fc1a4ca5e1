package io.stipple.contracts.spec;

import io.stipple.contracts.Envelope;

import java.net.URI;
import java.util.Set;

/**
 * Where the gateway posts signed job notifications, and for which changes.
 *
 * @param url    an absolute http(s) URL
 * @param events the changes to notify; empty means terminal ones (succeeded, failed, canceled)
 */
public record WebhookSpec(URI url, Set<WebhookEvent> events) {

    public WebhookSpec {
        Envelope.require(url, "webhook", "url");
        events = events == null || events.isEmpty()
                ? Set.of(WebhookEvent.SUCCEEDED, WebhookEvent.FAILED, WebhookEvent.CANCELED)
                : Set.copyOf(events);
    }

    /** True if the webhook wants to hear about this event. */
    public boolean wants(WebhookEvent event) {
        return events.contains(event);
    }
}
