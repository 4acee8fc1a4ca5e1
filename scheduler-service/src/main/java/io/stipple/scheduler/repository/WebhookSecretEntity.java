package io.stipple.scheduler.repository;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A tenant's webhook signing secret; signs until {@code expiresAt} (never, while it is the newest). */
@Entity
@Table(name = "webhook_secrets")
public class WebhookSecretEntity extends PanacheEntityBase {

    /** Named in the {@code webhook-key-id} header, so a receiver knows which secret to verify with. */
    @Id
    @Column(name = "key_id")
    public String keyId;
    @Column(name = "tenant_id")
    public String tenantId;
    /** {@code whsec_} + base64 of the HMAC key. */
    public String secret;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "expires_at")
    public Instant expiresAt;
}
