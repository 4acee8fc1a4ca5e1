package io.stipple.gateway.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.spec.WebhookEvent;
import io.stipple.contracts.spec.WebhookSpec;
import io.stipple.contracts.status.JobStatus;
import io.stipple.gateway.mapping.JobResourceMapper;
import io.stipple.gateway.repository.JobRepository;
import io.stipple.gateway.repository.WebhookDeliveryRepository;
import io.stipple.gateway.repository.WebhookDeliveryRepository.NewDelivery;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Records a webhook notification in the transaction that applied the snapshot it reports
 * ({@code service/StatusProjection}), so a change the read model shows is always notified (by
 * {@link WebhookSender}) and a rolled-back one never is; the projection drops duplicate and late
 * snapshots, so each transition is notified once. The body is rendered here, once: its {@code data} is the
 * job resource mapped from the row just updated, by the mapper and with the JSON settings of
 * {@code GET /v1/jobs/{id}}, its result URLs signed now (valid for {@code uploads.presign-ttl}); every
 * attempt sends these same bytes.
 */
@ApplicationScoped
public class WebhookNotifications {

    private final JobRepository jobs;
    private final WebhookDeliveryRepository deliveries;
    private final JobResourceMapper mapper;
    /** The REST API's mapper, so that {@code data} is written as {@code GET /v1/jobs/{id}} writes it. */
    private final ObjectMapper json;
    private final Clock clock;

    public WebhookNotifications(JobRepository jobs, WebhookDeliveryRepository deliveries, JobResourceMapper mapper,
            ObjectMapper json, Clock clock) {
        this.jobs = jobs;
        this.deliveries = deliveries;
        this.mapper = mapper;
        this.json = json;
        this.clock = clock;
    }

    /**
     * @param transaction the projection's, in which {@code status} was just applied
     * @param webhookJson the job's stored webhook ({@code spec.webhook}) as JSON, or null when it has none
     */
    public Uni<Void> enqueueIfWanted(SqlClient transaction, JobStatus status, String webhookJson) {
        Optional<WebhookEvent> event = WebhookEvents.of(status.trigger());
        WebhookSpec webhook = webhookJson == null ? null : read(webhookJson);
        if (event.isEmpty() || webhook == null || !webhook.wants(event.get())) {
            return Uni.createFrom().voidItem();
        }
        String type = WebhookPayload.type(event.get());
        return jobs.find(transaction, status.tenantId(), status.jobId()).chain(row -> {
            String body = write(new WebhookPayload(type, status.timestamp(), mapper.toResource(row)));
            return deliveries.insert(transaction, new NewDelivery(UUID.randomUUID(), row.id(), row.tenantId(),
                    webhook.url().toString(), type, body), clock.instant());
        });
    }

    private WebhookSpec read(String webhookJson) {
        try {
            return ContractsJson.mapper().readValue(webhookJson, WebhookSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored webhook is unreadable: " + webhookJson, e);
        }
    }

    private String write(WebhookPayload payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("webhook payload of job " + payload.data().id() + " could not be written", e);
        }
    }
}
