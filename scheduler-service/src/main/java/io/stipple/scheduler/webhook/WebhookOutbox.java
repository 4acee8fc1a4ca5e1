package io.stipple.scheduler.webhook;

import io.smallrye.mutiny.Uni;
import io.stipple.contracts.spec.WebhookEvent;
import io.stipple.contracts.spec.WebhookSpec;
import io.stipple.contracts.status.JobStatus;
import io.stipple.scheduler.repository.JobEntity;
import io.stipple.scheduler.repository.StoredJson;
import io.stipple.scheduler.repository.WebhookDeliveryEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Records a webhook notification in the transaction of the change it reports, so that a committed
 * change is always notified (by {@link WebhookSender}) and a rolled-back one never is.
 */
@ApplicationScoped
public class WebhookOutbox {

    public Uni<Void> enqueueIfWanted(JobEntity job, JobStatus status, Instant now) {
        WebhookSpec webhook = StoredJson.readSpec(job.spec).webhook();
        Optional<WebhookEvent> event = WebhookEvents.of(status.trigger());
        if (webhook == null || event.isEmpty() || !webhook.wants(event.get())) {
            return Uni.createFrom().voidItem();
        }
        WebhookDeliveryEntity delivery = new WebhookDeliveryEntity();
        delivery.id = UUID.randomUUID();
        delivery.jobId = job.id;
        delivery.tenantId = job.tenantId;
        delivery.url = webhook.url().toString();
        delivery.eventType = WebhookPayload.of(event.get(), status).type();
        delivery.payload = StoredJson.write(WebhookPayload.of(event.get(), status));
        delivery.state = WebhookDeliveryEntity.State.PENDING;
        delivery.nextAttemptAt = now;
        delivery.createdAt = now;
        return delivery.persist().replaceWithVoid();
    }
}
