package io.stipple.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies as Standard Webhooks does: a signature is
 * {@code v1,} + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")), where the key is
 * the base64 part of a {@code whsec_...} secret. With several keys (during a rotation),
 * {@code webhook-signature} lists one signature per key, space-separated, and {@code webhook-key-id}
 * names the keys in the same order.
 */
public final class WebhookSigner {

    public static final String SECRET_PREFIX = "whsec_";
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;

    public WebhookSigner(String secret) {
        if (secret == null || !secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a webhook signing secret starts with " + SECRET_PREFIX);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook signing secret is " + SECRET_PREFIX + " followed by base64", e);
        }
        if (bytes.length < 24) {
            throw new IllegalArgumentException("a webhook signing key needs at least 24 bytes, got " + bytes.length);
        }
        this.key = new SecretKeySpec(bytes, HMAC);
    }

    /** The {@code webhook-signature} and {@code webhook-key-id} header values for one attempt. */
    public record Headers(String signature, String keyIds) {
    }

    public static Headers sign(java.util.List<WebhookKeys.SigningKey> keys, String webhookId, long timestampSeconds,
            String body) {
        return new Headers(
                String.join(" ", keys.stream().map(k -> k.signer().sign(webhookId, timestampSeconds, body)).toList()),
                String.join(" ", keys.stream().map(WebhookKeys.SigningKey::keyId).toList()));
    }

    /** The signature of one attempt with this key. */
    public String sign(String webhookId, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            byte[] digest = mac.doFinal((webhookId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }
}
