package io.stipple.gateway.mapping;

import io.stipple.contracts.spec.WebhookSpec;
import io.stipple.gateway.webhook.address.WebhookTargetException;
import io.stipple.gateway.webhook.address.WebhookUrls;
import io.stipple.gateway.rest.model.WebhookRequest;
import io.stipple.gateway.service.rejection.InvalidFieldException;

/** A request's webhook as the contract's {@link WebhookSpec}: the URL parsed as a server address, or a 422 naming it. */
final class WebhookSpecs {

    private WebhookSpecs() {
    }

    static WebhookSpec of(WebhookRequest webhook) {
        if (webhook == null) {
            return null;
        }
        try {
            return new WebhookSpec(WebhookUrls.parse(webhook.url()), webhook.events());
        } catch (WebhookTargetException e) {
            throw new InvalidFieldException("webhook.url", e.getMessage());
        }
    }
}
