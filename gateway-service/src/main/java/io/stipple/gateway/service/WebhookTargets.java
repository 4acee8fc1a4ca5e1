package io.stipple.gateway.service;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.spec.WebhookSpec;
import io.stipple.contracts.webhook.WebhookAddressPolicy;
import io.stipple.contracts.webhook.WebhookTargetException;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.service.rejection.InvalidFieldException;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;

/**
 * Refuses, at submission, a webhook whose host resolves to an internal address (see
 * {@link WebhookAddressPolicy}), with a 422 naming {@code webhook.url}. The lookup blocks, so it runs on
 * a worker thread. The scheduler checks again at every delivery: an answer here is no promise for later.
 */
@ApplicationScoped
public class WebhookTargets {

    private final WebhookAddressPolicy policy;
    private final Vertx vertx;

    public WebhookTargets(GatewayConfig config, Vertx vertx) {
        this.policy = WebhookAddressPolicy.fromSetting(config.webhooks().allowList());
        this.vertx = vertx;
    }

    public Uni<Void> require(WebhookSpec webhook) {
        if (webhook == null) {
            return Uni.createFrom().voidItem();
        }
        return vertx.executeBlocking(() -> {
            try {
                policy.check(webhook.url(), InetAddress::getAllByName);
                return null;
            } catch (WebhookTargetException e) {
                throw new InvalidFieldException("webhook.url", e.getMessage());
            }
        }, false).replaceWithVoid();
    }
}
