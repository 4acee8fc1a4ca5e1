package io.stipple.scheduler.webhook;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.stipple.consumer.OutageLog;
import io.stipple.contracts.webhook.UnresolvableHostException;
import io.stipple.contracts.webhook.WebhookTargetException;
import io.stipple.contracts.webhook.WebhookUrls;
import io.stipple.scheduler.config.SchedulerConfig;
import io.stipple.scheduler.domain.RetryBackoff;
import io.stipple.scheduler.metrics.SchedulerMetrics;
import io.stipple.scheduler.repository.WebhookAttemptEntity;
import io.stipple.scheduler.repository.WebhookDeliveryEntity;
import io.stipple.scheduler.service.OwnContext;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.net.SocketAddress;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.net.InetAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Posts due webhook notifications, signed, and records every attempt. A round claims due deliveries in a
 * short transaction (pushing their due time past the request timeout, so that a crash mid-request
 * retries them) and starts them, each on its own, without waiting for them: a round never waits on a
 * slow endpoint. At most {@code per-tenant-in-flight} notifications of a tenant are in flight at once
 * ({@link DeliverySlots}); a tenant with none free is not even claimed for, so an endpoint that never
 * answers holds its own tenant's slots for the request timeout and nobody else's.
 *
 * <p>Each attempt resolves and checks the host again ({@link WebhookTargetCheck}) and connects to the
 * checked address only; redirects are not followed. An internal address fails the notification for good
 * (it would fail the same way each time); a host that does not resolve is retried like a failed POST.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);

    /** A claimed delivery, detached from the session that claimed it. */
    record Claimed(UUID id, String tenantId, String url, String payload, int attempt) {
    }

    /** What one attempt came to: an HTTP status, or the error that prevented one; {@code final} if not worth retrying. */
    record Result(Integer statusCode, String error, boolean isFinal) {
        boolean delivered() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    private final SchedulerConfig.Webhooks config;
    private final WebhookKeys keys;
    private final WebhookTargetCheck targets;
    private final RetryBackoff backoff;
    private final SchedulerMetrics metrics;
    private final Clock clock;
    private final OwnContext context;
    private final WebClient client;
    private final DeliverySlots slots;
    /**
     * The database away: claims fail every round, and attempts in flight cannot be recorded (they are
     * retried once their claim's grace runs out). One WARN when it starts, one line when a claim works again.
     */
    private final OutageLog outage = new OutageLog(LOG, "the webhook sender");

    public WebhookSender(SchedulerConfig config, WebhookKeys keys, WebhookTargetCheck targets, SchedulerMetrics metrics,
            Clock clock, Vertx vertx, OwnContext context) {
        this.config = config.webhooks();
        this.keys = keys;
        this.targets = targets;
        // The jobs' retry backoff (doubling, capped, equal jitter) with the webhook settings; SecureRandom,
        // because deliveries settle on several event-loop threads at once.
        this.backoff = new RetryBackoff(this.config.initialBackoff(), this.config.maxBackoff(), new SecureRandom());
        this.metrics = metrics;
        this.clock = clock;
        this.context = context;
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
    @Scheduled(every = "${scheduler.webhooks.period}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "webhook-sender")
    public Uni<Void> sendDue() {
        if (slots.free() == 0) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> claimDue(clock.instant(), slots.fullTenants()))
                .invoke(claimed -> claimed.forEach(this::start))
                .invoke(outage::succeeded)
                .onFailure().invoke(outage::failed)
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Due deliveries of tenants with a free slot, a slot taken for each; the rest stay for a later round. */
    private Uni<List<Claimed>> claimDue(Instant now, Set<String> full) {
        Duration inFlightGrace = config.requestTimeout().multipliedBy(2);
        String due = "state = ?1 and nextAttemptAt <= ?2";
        var query = full.isEmpty()
                ? WebhookDeliveryEntity.<WebhookDeliveryEntity>find(due + " order by nextAttemptAt",
                        WebhookDeliveryEntity.State.PENDING, now)
                : WebhookDeliveryEntity.<WebhookDeliveryEntity>find(due + " and tenantId not in ?3 order by nextAttemptAt",
                        WebhookDeliveryEntity.State.PENDING, now, full);
        return query.withLock(LockModeType.PESSIMISTIC_WRITE)
                .page(0, config.batchSize())
                .list()
                .map(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    for (WebhookDeliveryEntity delivery : rows) {
                        if (slots.tryTake(delivery.tenantId)) {
                            delivery.attempts += 1;
                            delivery.nextAttemptAt = now.plus(inFlightGrace);
                            claimed.add(new Claimed(delivery.id, delivery.tenantId, delivery.url, delivery.payload,
                                    delivery.attempts));
                        }
                    }
                    return claimed;
                });
    }

    /** Runs one delivery on a context of its own (its own database session), releasing its slot at the end. */
    private void start(Claimed delivery) {
        context.start(() -> deliver(delivery).onTermination().invoke(() -> slots.release(delivery.tenantId())),
                failure -> outage.failed(new IllegalStateException(
                        "recording attempt " + delivery.attempt() + " of webhook " + delivery.id() + " failed: " + failure, failure)));
    }

    private Uni<Void> deliver(Claimed delivery) {
        Instant started = clock.instant();
        return targets.addresses(delivery.url())
                .chain(addresses -> post(delivery, addresses.get(0), started))
                .onFailure(WebhookTargetException.class).recoverWithItem(refused -> new Result(null,
                        "webhook URL " + refused.getMessage(), !(refused instanceof UnresolvableHostException)))
                .onFailure().recoverWithItem(failure -> new Result(null, failure.toString(), false))
                .chain(result -> Panache.withTransaction(() -> recordAttempt(delivery, result, started)));
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

    private Uni<Void> recordAttempt(Claimed claimed, Result result, Instant started) {
        Instant now = clock.instant();
        metrics.webhookAttempt(result.delivered());
        WebhookAttemptEntity attempt = new WebhookAttemptEntity();
        attempt.deliveryId = claimed.id();
        attempt.attempt = claimed.attempt();
        attempt.attemptedAt = started;
        attempt.statusCode = result.statusCode();
        attempt.error = result.error();
        attempt.durationMs = Duration.between(started, now).toMillis();
        return attempt.persist()
                .flatMap(persisted -> WebhookDeliveryEntity.<WebhookDeliveryEntity>findById(claimed.id()))
                .invoke(delivery -> settle(delivery, result, now))
                .replaceWithVoid();
    }

    private void settle(WebhookDeliveryEntity delivery, Result result, Instant now) {
        if (result.delivered()) {
            delivery.state = WebhookDeliveryEntity.State.DELIVERED;
            delivery.completedAt = now;
            delivery.nextAttemptAt = null;
        } else if (result.isFinal() || delivery.attempts >= config.maxAttempts()) {
            LOG.warnf("webhook %s of tenant %s to %s given up after %d attempts (last: %s)", delivery.id, delivery.tenantId,
                    delivery.url, delivery.attempts, result.error() != null ? result.error() : "HTTP " + result.statusCode());
            delivery.state = WebhookDeliveryEntity.State.FAILED;
            delivery.completedAt = now;
            delivery.nextAttemptAt = null;
        } else {
            delivery.nextAttemptAt = now.plus(backoff.after(delivery.attempts));
        }
    }
}
