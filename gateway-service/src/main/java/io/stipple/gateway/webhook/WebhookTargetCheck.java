package io.stipple.gateway.webhook;

import io.smallrye.mutiny.Uni;
import io.stipple.gateway.webhook.address.WebhookAddressPolicy;
import io.stipple.gateway.webhook.address.WebhookUrls;
import io.stipple.gateway.config.GatewayConfig;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * Resolves a webhook's host and checks every address ({@link WebhookAddressPolicy}), at submission
 * ({@code service/WebhookTargets}) and again at each delivery: DNS may answer differently by then. The
 * sender connects to a checked address only, so a second lookup cannot swap in another (DNS rebinding).
 * The lookup blocks, so it runs on a worker thread.
 */
@ApplicationScoped
public class WebhookTargetCheck {

    private final WebhookAddressPolicy policy;
    private final Vertx vertx;

    public WebhookTargetCheck(GatewayConfig config, Vertx vertx) {
        this.policy = WebhookAddressPolicy.fromSetting(config.webhooks().allowList());
        this.vertx = vertx;
    }

    /** The checked addresses of the URL's host; fails with a {@code WebhookTargetException}. */
    public Uni<List<InetAddress>> addresses(String url) {
        return vertx.executeBlocking(() -> policy.check(WebhookUrls.parse(url), InetAddress::getAllByName), false);
    }

    /** The same for a URL already parsed (a submission's). */
    public Uni<List<InetAddress>> addresses(URI url) {
        return vertx.executeBlocking(() -> policy.check(url, InetAddress::getAllByName), false);
    }
}
