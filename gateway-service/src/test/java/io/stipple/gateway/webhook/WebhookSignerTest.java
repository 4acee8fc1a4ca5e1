package io.stipple.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    /** The example of the Standard Webhooks specification: this secret, id, timestamp and body give this signature. */
    @Test
    void matchesTheStandardWebhooksSpecificationExample() {
        WebhookSigner signer = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        String body = "{\"test\": 2432232314}";
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                signer.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, body));
    }

    @Test
    void anyChangeOfIdTimestampOrBodyChangesTheSignature() {
        WebhookSigner signer = new WebhookSigner("whsec_" + Base64.getEncoder().encodeToString(
                "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8)));
        String reference = signer.sign("id", 1, "{}");
        assertNotEquals(reference, signer.sign("id2", 1, "{}"));
        assertNotEquals(reference, signer.sign("id", 2, "{}"));
        assertNotEquals(reference, signer.sign("id", 1, "{ }"));
    }

    @Test
    void refusesSecretsThatAreNotWhsecBase64OrTooShort() {
        assertThrows(IllegalArgumentException.class, () -> new WebhookSigner("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        assertThrows(IllegalArgumentException.class, () -> new WebhookSigner("whsec_not base64!"));
        assertThrows(IllegalArgumentException.class, () -> new WebhookSigner("whsec_c2hvcnQ="));
    }
}
