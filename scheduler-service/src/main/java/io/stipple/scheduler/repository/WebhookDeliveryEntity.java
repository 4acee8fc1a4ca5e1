package io.stipple.scheduler.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One webhook notification, retried until delivered or given up. Its id is the {@code webhook-id} header. */
@Entity
@Table(name = "webhook_deliveries")
public class WebhookDeliveryEntity extends PanacheEntityBase {

    public enum State { PENDING, DELIVERED, FAILED }

    @Id
    public UUID id;
    @Column(name = "job_id")
    public UUID jobId;
    @Column(name = "tenant_id")
    public String tenantId;
    public String url;
    @Column(name = "event_type")
    public String eventType;
    /** The exact body that is signed and posted. */
    public String payload;
    @Enumerated(EnumType.STRING)
    public State state;
    public int attempts;
    /** When the next attempt is due; also pushed forward while an attempt is in flight, so a crash retries. */
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "completed_at")
    public Instant completedAt;
}
