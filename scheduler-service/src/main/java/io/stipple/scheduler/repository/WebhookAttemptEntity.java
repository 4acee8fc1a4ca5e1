package io.stipple.scheduler.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One attempt to deliver a webhook: the HTTP status, or the error when there was none. */
@Entity
@Table(name = "webhook_attempts")
public class WebhookAttemptEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "delivery_id")
    public UUID deliveryId;
    public int attempt;
    @Column(name = "attempted_at")
    public Instant attemptedAt;
    @Column(name = "status_code")
    public Integer statusCode;
    public String error;
    @Column(name = "duration_ms")
    public long durationMs;
}
