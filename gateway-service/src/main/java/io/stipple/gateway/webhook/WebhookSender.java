package io.stipple.gateway.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.stipple.consumer.OutageLog;
import io.stipple.consumer.RetryBackoff;
import io.stipple.gateway.webhook.address.UnresolvableHostException;
import io.stipple.gateway.webhook.address.WebhookTargetException;
import io.stipple.gateway.webhook.address.WebhookUrls;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.repository.WebhookDeliveryRepository;
import io.stipple.gateway.repository.WebhookDeliveryRepository.Attempt;
import io.stipple.gateway.repository.WebhookDeliveryRepository.Claimed;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.net.SocketAddress;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Posts due webhook notifications, signed, and records every attempt. A round claims due deliveries in a
 * short transaction ({@code for update skip locked}, pushing their due time past the request timeout, so
 * that a crash mid-request retries them) and starts them, each on its own, without waiting for them: a
 * round never waits on a slow endpoint. At most {@code per-tenant-in-flight} notifications of a tenant are
 * in flight at once ({@link DeliverySlots}); a tenant with none free is not even claimed for, so an
 * endpoint that never answers holds its own tenant's slots for the request timeout and nobody else's.
 *
 * <p>Each attempt resolves and checks the host again ({@link WebhookTargetCheck}) and connects to the
 * checked address only; redirects are not followed. An internal address fails the notification for good
 * (it would fail the same way each time); a host that does not resolve is retried like a failed POST.
 */
@ApplicationScoped
public class WebhookSender {

    /** Counter of attempts, tagged {@code outcome=delivered|failed} (Prometheus: {@code stipple_gateway_webhook_attempts_total}). */
    public static final String ATTEMPTS_COUNTER = "stipple.gateway.webhook.attempts";

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);

    /** What one attempt came to: an HTTP status, or the error that prevented one; {@code final} if not worth retrying. */
    record Result(Integer statusCode, String error, boolean isFinal) {
        boolean delivered() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    private final GatewayConfig.Webhooks config;
    private final WebhookDeliveryRepository deliveries;
    private final WebhookKeys keys;
    private final WebhookTargetCheck targets;
    private final RetryBackoff backoff;
    private final MeterRegistry registry;
    private final Clock clock;
    private final WebClient client;
    private final DeliverySlots slots;
    /**
     * The database away: claims fail every round, and attempts in flight cannot be recorded (they are
     * retried once their claim's grace runs out). One WARN when it starts, one line when a claim works again.
     */
    private final OutageLog outage = new OutageLog(LOG, "the webhook sender");

    public WebhookSender(GatewayConfig config, WebhookDeliveryRepository deliveries, WebhookKeys keys,
            WebhookTargetCheck targets, MeterRegistry registry, Clock clock, Vertx vertx) {
        this.config = config.webhooks();
        this.deliveries = deliveries;
        this.keys = keys;
        this.targets = targets;
        // The scheduler's job retry backoff (doubling, capped, equal jitter) with the webhook settings;
        // SecureRandom, because deliveries settle on several event-loop threads at once.
        this.backoff = new RetryBackoff(this.config.initialBackoff(), this.config.maxBackoff(), new SecureRandom());
        this.registry = registry;
        this.clock = clock;
        this.slots = new DeliverySlots(this.config.perTenantInFlight(), this.config.maxInFlight());
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setFollowRedirects(false)
                .setForceSni(true)
                .setConnectTimeout((int) this.config.requestTimeout().toMillis()));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** A round; a failure (the database away) is logged once per outage, never passed on: the next round retries. */
    @Scheduled(every = "${stipple.gateway.webhooks.period:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "webhook-sender")
    public Uni<Void> sendDue() {
        if (slots.free() == 0) {
            return Uni.createFrom().voidItem();
        }
        List<Claimed> claimed = new ArrayList<>();
        return deliveries.pool().withTransaction(conn -> claimDue(conn, clock.instant(), slots.fullTenants(), claimed))
                .invoke(() -> claimed.forEach(this::start))
                .invoke(outage::succeeded)
                // Not committed: the rows stay due, and their slots are free again.
                .onFailure().invoke(() -> claimed.forEach(delivery -> slots.release(delivery.tenantId())))
                .onFailure().invoke(outage::failed)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Claims due deliveries of tenants with a free slot into {@code claimed}, a slot taken for each; the rest stay for a later round. */
    private Uni<Void> claimDue(SqlClient conn, Instant now, Set<String> full, List<Claimed> claimed) {
        Instant retryIfLost = now.plus(config.requestTimeout().multipliedBy(2));
        return deliveries.due(conn, now, full, config.batchSize()).chain(due -> {
            for (Claimed delivery : due) {
                if (slots.tryTake(delivery.tenantId())) {
                    claimed.add(delivery);
                }
            }
            return deliveries.markClaimed(conn, claimed.stream().map(Claimed::id).toList(), retryIfLost);
        });
    }

    /** Runs one delivery without waiting for it, releasing its slot at the end. */
    private void start(Claimed delivery) {
        deliver(delivery)
                .onTermination().invoke(() -> slots.release(delivery.tenantId()))
                .subscribe().with(done -> { }, failure -> outage.failed(new IllegalStateException(
                        "recording attempt " + delivery.attempt() + " of webhook " + delivery.id() + " failed: " + failure, failure)));
    }

    private Uni<Void> deliver(Claimed delivery) {
        Instant started = clock.instant();
        return targets.addresses(delivery.url())
                .chain(addresses -> post(delivery, addresses.get(0), started))
                .onFailure(WebhookTargetException.class).recoverWithItem(refused -> new Result(null,
                        "webhook URL " + refused.getMessage(), !(refused instanceof UnresolvableHostException)))
                .onFailure().recoverWithItem(failure -> new Result(null, failure.toString(), false))
                .chain(result -> deliveries.pool().withTransaction(conn -> recordAttempt(conn, delivery, result, started)));
    }

    /** POSTs to the checked address, naming the URL's host in Host (and TLS SNI and certificate check). */
    private Uni<Result> post(Claimed delivery, InetAddress address, Instant started) {
        URI url = WebhookUrls.parse(delivery.url());
        int port = WebhookUrls.port(url);
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String pathAndQuery = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
        long timestamp = started.getEpochSecond();
        return keys.signingKeys(delivery.tenantId()).chain(signingKeys -> {
            WebhookSigner.Headers signed = WebhookSigner.sign(signingKeys, delivery.id().toString(), timestamp,
                    delivery.payload());
            return client.request(HttpMethod.POST, SocketAddress.inetSocketAddress(port, address.getHostAddress()), port,
                            WebhookUrls.host(url), pathAndQuery)
                    .ssl(url.getScheme().equalsIgnoreCase("https"))
                    .followRedirects(false)
                    .putHeader("content-type", "application/json")
                    .putHeader("webhook-id", delivery.id().toString())
                    .putHeader("webhook-timestamp", Long.toString(timestamp))
                    .putHeader("webhook-signature", signed.signature())
                    .putHeader("webhook-key-id", signed.keyIds())
                    .timeout(config.requestTimeout().toMillis())
                    .sendBuffer(Buffer.buffer(delivery.payload()))
                    .map(response -> new Result(response.statusCode(), null, false));
        });
    }

    private Uni<Void> recordAttempt(SqlClient conn, Claimed delivery, Result result, Instant started) {
        Instant now = clock.instant();
        registry.counter(ATTEMPTS_COUNTER, "outcome", result.delivered() ? "delivered" : "failed").increment();
        return deliveries.recordAttempt(conn, new Attempt(delivery.id(), delivery.attempt(), started, result.statusCode(),
                        result.error(), Duration.between(started, now).toMillis()))
                .chain(() -> settle(conn, delivery, result, now));
    }

    private Uni<Void> settle(SqlClient conn, Claimed delivery, Result result, Instant now) {
        if (result.delivered()) {
            return deliveries.complete(conn, delivery.id(), "DELIVERED", now);
        }
        if (result.isFinal() || delivery.attempt() >= config.maxAttempts()) {
            LOG.warnf("webhook %s of tenant %s to %s given up after %d attempts (last: %s)", delivery.id(),
                    delivery.tenantId(), delivery.url(), delivery.attempt(),
                    result.error() != null ? result.error() : "HTTP " + result.statusCode());
            return deliveries.complete(conn, delivery.id(), "FAILED", now);
        }
        return deliveries.retryAfter(conn, delivery.id(), now, backoff.after(delivery.attempt()));
    }
}
