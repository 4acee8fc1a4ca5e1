package io.stipple.gateway.webhook;

import io.smallrye.mutiny.Uni;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.repository.WebhookSecretRepository;
import io.vertx.mutiny.sqlclient.SqlClient;
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
 * service secret (key id {@value #SERVICE_KEY_ID}). The secrets sit next to the tenants and their keys,
 * and never leave the gateway but to the operator who issues them.
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

    private final WebhookSecretRepository secrets;
    private final SigningKey serviceKey;
    private final Duration grace;
    private final Clock clock;

    public WebhookKeys(WebhookSecretRepository secrets, GatewayConfig config, Clock clock) {
        this.secrets = secrets;
        this.serviceKey = new SigningKey(SERVICE_KEY_ID, new WebhookSigner(config.webhooks().signingSecret()));
        this.grace = config.webhooks().rotationGrace();
        this.clock = clock;
    }

    /** The keys that sign the tenant's notifications now, newest first. */
    public Uni<List<SigningKey>> signingKeys(String tenantId) {
        return secrets.signing(tenantId, clock.instant())
                .map(stored -> stored.isEmpty() ? List.of(serviceKey) : stored.stream()
                        .map(s -> new SigningKey(s.keyId(), new WebhookSigner(s.secret()))).toList());
    }

    /**
     * Issues the tenant a new secret in the caller's transaction; its current ones sign for the grace period
     * more, then stop. Fails with {@link IllegalArgumentException} for a tenant that does not exist.
     */
    public Uni<IssuedSecret> rotate(SqlClient transaction, String tenantId) {
        Instant now = clock.instant();
        Instant previousUntil = now.plus(grace);
        String keyId = "whk_" + HexFormat.of().formatHex(randomBytes(8));
        String secret = WebhookSigner.SECRET_PREFIX + Base64.getEncoder().encodeToString(randomBytes(32));
        return secrets.tenantExists(transaction, tenantId)
                .invoke(exists -> {
                    if (!exists) {
                        throw new IllegalArgumentException("no tenant " + tenantId + " (create-tenant creates one)");
                    }
                })
                .chain(() -> secrets.expireCurrent(transaction, tenantId, previousUntil))
                .chain(() -> secrets.insert(transaction, keyId, tenantId, secret, now))
                .replaceWith(new IssuedSecret(tenantId, keyId, secret, previousUntil));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
