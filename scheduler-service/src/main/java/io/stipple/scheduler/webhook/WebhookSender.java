package io.stipple.scheduler.webhook;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stipple.scheduler.config.SchedulerConfig;
import io.stipple.scheduler.metrics.SchedulerMetrics;
import io.stipple.scheduler.repository.WebhookAttemptEntity;
import io.stipple.scheduler.repository.WebhookDeliveryEntity;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Posts due webhook notifications, signed, and records every attempt. A round first claims its
 * deliveries in a short transaction (pushing their due time past the request timeout, so that a crash
 * mid-request retries them), then posts without holding a transaction, then records each result.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);

    /** A claimed delivery, detached from the session that claimed it. */
    record Claimed(UUID id, String url, String payload, int attempt) {
    }

    /** What one POST came to: an HTTP status, or the error that prevented one. */
    record Result(Integer statusCode, String error) {
        boolean delivered() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    private final SchedulerConfig.Webhooks config;
    private final WebhookSigner signer;
    private final WebhookBackoff backoff;
    private final SchedulerMetrics metrics;
    private final Clock clock;
    private final WebClient client;

    public WebhookSender(SchedulerConfig config, WebhookSigner signer, WebhookBackoff backoff, SchedulerMetrics metrics,
            Clock clock, Vertx vertx) {
        this.config = config.webhooks();
        this.signer = signer;
        this.backoff = backoff;
        this.metrics = metrics;
        this.clock = clock;
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setFollowRedirects(false)
                .setConnectTimeout((int) this.config.requestTimeout().toMillis()));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    @Scheduled(every = "${scheduler.webhooks.period}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "webhook-sender")
    public Uni<Void> sendDue() {
        return Panache.withTransaction(() -> claimDue(clock.instant()))
                .onItem().transformToMulti(claimed -> Multi.createFrom().iterable(claimed))
                .onItem().transformToUniAndConcatenate(this::deliver)
                .collect().last()
                .replaceWithVoid();
    }

    private Uni<List<Claimed>> claimDue(Instant now) {
        Duration inFlightGrace = config.requestTimeout().multipliedBy(2);
        return WebhookDeliveryEntity.<WebhookDeliveryEntity>find("state = ?1 and nextAttemptAt <= ?2 order by nextAttemptAt",
                        WebhookDeliveryEntity.State.PENDING, now)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .page(0, config.batchSize())
                .list()
                .map(due -> due.stream().map(delivery -> {
                    delivery.attempts += 1;
                    delivery.nextAttemptAt = now.plus(inFlightGrace);
                    return new Claimed(delivery.id, delivery.url, delivery.payload, delivery.attempts);
                }).toList());
    }

    private Uni<Void> deliver(Claimed delivery) {
        Instant started = clock.instant();
        long timestamp = started.getEpochSecond();
        return client.postAbs(delivery.url())
                .putHeader("content-type", "application/json")
                .putHeader("webhook-id", delivery.id().toString())
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", signer.sign(delivery.id().toString(), timestamp, delivery.payload()))
                .timeout(config.requestTimeout().toMillis())
                .sendBuffer(Buffer.buffer(delivery.payload()))
                .map(response -> new Result(response.statusCode(), null))
                .onFailure().recoverWithItem(failure -> new Result(null, failure.toString()))
                .flatMap(result -> Panache.withTransaction(() -> recordAttempt(delivery, result, started)));
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
        } else if (delivery.attempts >= config.maxAttempts()) {
            LOG.warnf("webhook %s to %s given up after %d attempts (last: %s)", delivery.id, delivery.url,
                    delivery.attempts, result.error() != null ? result.error() : "HTTP " + result.statusCode());
            delivery.state = WebhookDeliveryEntity.State.FAILED;
            delivery.completedAt = now;
            delivery.nextAttemptAt = null;
        } else {
            delivery.nextAttemptAt = now.plus(backoff.after(delivery.attempts));
        }
    }
}
