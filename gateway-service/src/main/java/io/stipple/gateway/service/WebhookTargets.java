package io.stipple.gateway.service;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.spec.WebhookSpec;
import io.stipple.gateway.webhook.address.WebhookAddressPolicy;
import io.stipple.gateway.webhook.address.WebhookTargetException;
import io.stipple.gateway.service.rejection.InvalidFieldException;
import io.stipple.gateway.webhook.WebhookTargetCheck;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Refuses, at submission, a webhook whose host resolves to an internal address (see
 * {@link WebhookAddressPolicy}), with a 422 naming {@code webhook.url}. The sender checks again at every
 * delivery ({@link WebhookTargetCheck}): an answer here is no promise for later.
 */
@ApplicationScoped
public class WebhookTargets {

    private final WebhookTargetCheck check;

    public WebhookTargets(WebhookTargetCheck check) {
        this.check = check;
    }

    public Uni<Void> require(WebhookSpec webhook) {
        if (webhook == null) {
            return Uni.createFrom().voidItem();
        }
        return check.addresses(webhook.url())
                .onFailure(WebhookTargetException.class)
                .transform(refused -> new InvalidFieldException("webhook.url", refused.getMessage()))
                .replaceWithVoid();
    }
}
