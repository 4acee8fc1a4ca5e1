package io.stipple.scheduler.webhook;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.stipple.scheduler.config.SchedulerConfig;
import io.stipple.scheduler.repository.WebhookSecretEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Which secrets sign a tenant's notifications, and their rotation. A tenant's own secrets (issued by
 * {@link #rotate}) sign its notifications: one tenant cannot forge another's. A rotation issues a new
 * secret; the previous ones keep signing next to it for {@code rotation-grace}, so a receiver can
 * switch without refusing a notification. A tenant without a secret of its own is signed with the
 * service secret (key id {@value #SERVICE_KEY_ID}).
 */
@ApplicationScoped
public class WebhookKeys {

    public static final String SERVICE_KEY_ID = "service";

    /** A secret that signs, with the id the {@code webhook-key-id} header names it by. */
    public record SigningKey(String keyId, WebhookSigner signer) {
    }

    /** A newly issued secret, shown once to the operator who passes it on to the tenant. */
    public record IssuedSecret(String tenantId, String keyId, String secret, Instant previousKeysExpireAt) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SigningKey serviceKey;
    private final Duration grace;
    private final Clock clock;

    public WebhookKeys(WebhookSigner serviceSigner, SchedulerConfig config, Clock clock) {
        this.serviceKey = new SigningKey(SERVICE_KEY_ID, serviceSigner);
        this.grace = config.webhooks().rotationGrace();
        this.clock = clock;
    }

    /** The keys that sign the tenant's notifications now, newest first. */
    public Uni<List<SigningKey>> signingKeys(String tenantId) {
        Instant now = clock.instant();
        return Panache.withSession(() -> WebhookSecretEntity.<WebhookSecretEntity>find(
                        "tenantId = ?1 and (expiresAt is null or expiresAt > ?2) order by createdAt desc", tenantId, now)
                .list())
                .map(secrets -> secrets.isEmpty() ? List.of(serviceKey) : secrets.stream()
                        .map(s -> new SigningKey(s.keyId, new WebhookSigner(s.secret))).toList());
    }

    /** Issues the tenant a new secret; its current ones sign for the grace period more, then stop. */
    public Uni<IssuedSecret> rotate(String tenantId) {
        Instant now = clock.instant();
        Instant previousUntil = now.plus(grace);
        WebhookSecretEntity issued = new WebhookSecretEntity();
        issued.keyId = "whk_" + HexFormat.of().formatHex(randomBytes(8));
        issued.tenantId = tenantId;
        issued.secret = WebhookSigner.SECRET_PREFIX + Base64.getEncoder().encodeToString(randomBytes(32));
        issued.createdAt = now;
        return Panache.withTransaction(() -> WebhookSecretEntity.update(
                        "expiresAt = ?1 where tenantId = ?2 and (expiresAt is null or expiresAt > ?1)", previousUntil, tenantId)
                .chain(() -> issued.<WebhookSecretEntity>persist()))
                .map(ignored -> new IssuedSecret(tenantId, issued.keyId, issued.secret, previousUntil));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
