package io.stipple.scheduler.webhook;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.webhook.WebhookAddressPolicy;
import io.stipple.contracts.webhook.WebhookUrls;
import io.stipple.scheduler.config.SchedulerConfig;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * Resolves a webhook's host at delivery time and checks every address ({@link WebhookAddressPolicy}):
 * the gateway checked at submission, but DNS may answer differently now. The sender then connects to a
 * checked address only, so a second lookup cannot swap in another (DNS rebinding). The lookup blocks,
 * so it runs on a worker thread.
 */
@ApplicationScoped
public class WebhookTargetCheck {

    private final WebhookAddressPolicy policy;
    private final Vertx vertx;

    public WebhookTargetCheck(SchedulerConfig config, Vertx vertx) {
        this.policy = WebhookAddressPolicy.fromSetting(config.webhooks().allowList());
        this.vertx = vertx;
    }

    /** The checked addresses of the URL's host; fails with a {@code WebhookTargetException}. */
    public Uni<List<InetAddress>> addresses(String url) {
        return vertx.executeBlocking(() -> {
            URI parsed = WebhookUrls.parse(url);
            return policy.check(parsed, InetAddress::getAllByName);
        }, false);
    }
}
