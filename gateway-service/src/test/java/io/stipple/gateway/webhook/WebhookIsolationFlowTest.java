package io.stipple.gateway.webhook;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.gateway.fixtures.SchedulerStatusFixture;
import io.stipple.gateway.fixtures.Tenants;
import io.stipple.gateway.fixtures.Tenants.TenantKey;
import io.stipple.gateway.fixtures.WebhookDb;
import io.stipple.gateway.fixtures.WebhookReceiver;
import io.stipple.gateway.fixtures.WebhookReceiver.Received;
import io.stipple.gateway.service.TenantService;
import io.stipple.gateway.webhook.WebhookKeys.IssuedSecret;
import io.stipple.stack.test.StippleStackResource;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What keeps webhooks from being abused or starved: one tenant's endpoint that never answers does not
 * hold another tenant's notification; an internal address outside the allow-list is refused at delivery
 * (the check at submission is not trusted to still hold); a redirect is not followed; each tenant's notifications are signed with its
 * own secret, and a rotation signs with old and new for the grace period. Driven by status snapshots.
 */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class WebhookIsolationFlowTest {

    static final Duration PATIENCE = Duration.ofSeconds(60);
    static SchedulerStatusFixture scheduler;

    @Inject
    TenantService tenants;
    @Inject
    Pool pool;

    @BeforeAll
    static void startFixture() {
        scheduler = new SchedulerStatusFixture();
    }

    @AfterAll
    static void stopFixture() {
        scheduler.close();
    }

    @Test
    void anUnansweringEndpointOfOneTenantDoesNotHoldAnotherTenantsNotification() throws Exception {
        TenantKey blackHoled = Tenants.create(tenants, "black-hole", null);
        TenantKey answering = Tenants.create(tenants, "answering", null);
        try (BlackHole blackHole = new BlackHole(); WebhookReceiver receiver = new WebhookReceiver(WebhookReceiver.ALLOWED)) {
            receiver.observe(blackHole.closedByClient::get);
            queued(blackHoled, submitQueuedHook(blackHoled, blackHole.url()));
            await().atMost(PATIENCE).until(() -> blackHole.accepted.get() > 0);

            UUID other = submitQueuedHook(answering, receiver.url());
            queued(answering, other);
            await().atMost(PATIENCE).until(() -> !receiver.received.isEmpty());

            // Overlap, not wall-clock time: the other tenant's notification arrived while the black hole
            // still held its request open (the sender gives up on it only after the 30 s request timeout).
            assertFalse(receiver.observedAtArrival.get(0), "the other tenant's notification waited for the black hole");
            WebhookDb db = new WebhookDb(pool);
            await().atMost(PATIENCE).until(() -> db.deliveries(other).equals(List.of(List.of("job.queued", "DELIVERED", "1"))));
        }
    }

    @Test
    void anInternalAddressOutsideTheAllowListIsRefusedAtDelivery() throws Exception {
        TenantKey tenant = Tenants.create(tenants, "inward", null);
        // 127.0.0.2 is loopback like the allow-listed 127.0.0.3, but not on the list.
        try (WebhookReceiver allowed = new WebhookReceiver(WebhookReceiver.ALLOWED);
             WebhookReceiver inward = new WebhookReceiver("127.0.0.2")) {
            UUID job = submitQueuedHook(tenant, allowed.url());
            WebhookDb db = new WebhookDb(pool);
            // Accepted while its address passed; by the time of the notification it names an internal one.
            db.redirectWebhook(job, inward.url().toString());
            queued(tenant, job);
            await().atMost(PATIENCE).until(() -> db.deliveries(job).equals(List.of(List.of("job.queued", "FAILED", "1"))));
            List<String> errors = db.attemptErrors(job);
            assertEquals(1, errors.size(), "given up at once, not retried: " + errors);
            assertTrue(errors.get(0).contains("internal address") && errors.get(0).contains("127.0.0.0/8 (loopback)"), errors.get(0));
            assertTrue(inward.received.isEmpty() && allowed.received.isEmpty(), "nothing reached a receiver");
        }
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        TenantKey tenant = Tenants.create(tenants, "redirected", null);
        try (WebhookReceiver target = new WebhookReceiver(WebhookReceiver.ALLOWED);
             WebhookReceiver redirecting = new WebhookReceiver(WebhookReceiver.ALLOWED, body -> 302)) {
            // Even to an allowed address: a redirect would be a target nobody checked.
            redirecting.redirectTo(target.url());
            UUID job = submitQueuedHook(tenant, redirecting.url());
            queued(tenant, job);
            WebhookDb db = new WebhookDb(pool);
            await().atMost(PATIENCE).until(() -> db.attempts(job).size() >= 2);
            List<List<String>> attempts = db.attempts(job);
            assertEquals(List.of("job.queued", "1", "302"), attempts.get(0), "a 3xx is a failed attempt, retried");
            assertEquals(List.of("job.queued", "2", "302"), attempts.get(1), attempts.toString());
            assertTrue(target.received.isEmpty(), "the redirect was not followed");
        }
    }

    @Test
    void eachTenantSignsWithItsOwnSecretAndARotationSignsWithBoth() throws Exception {
        TenantKey tenant = Tenants.create(tenants, "own-secret", null);
        try (WebhookReceiver receiver = new WebhookReceiver(WebhookReceiver.ALLOWED)) {
            IssuedSecret first = rotate(tenant.id());
            queued(tenant, submitQueuedHook(tenant, receiver.url()));
            await().atMost(PATIENCE).until(() -> receiver.received.size() == 1);
            Received signedOnce = receiver.received.get(0);
            assertEquals(first.keyId(), signedOnce.keyIds());
            assertEquals(hmac(first.secret(), signedOnce), signedOnce.signature());

            IssuedSecret second = rotate(tenant.id());
            queued(tenant, submitQueuedHook(tenant, receiver.url()));
            await().atMost(PATIENCE).until(() -> receiver.received.size() == 2);
            Received signedTwice = receiver.received.get(1);
            assertEquals(second.keyId() + " " + first.keyId(), signedTwice.keyIds(), "newest first");
            assertEquals(hmac(second.secret(), signedTwice) + " " + hmac(first.secret(), signedTwice), signedTwice.signature());
        }
    }

    private IssuedSecret rotate(String tenant) {
        IssuedSecret issued = tenants.rotateWebhookSecret(tenant).await().atMost(PATIENCE);
        assertEquals(tenant, issued.tenantId());
        return issued;
    }

    private static String hmac(String secret, Received request) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String signed = request.id() + "." + request.timestamp() + "." + request.body();
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }

    private static UUID submitQueuedHook(TenantKey tenant, URI url) {
        String id = given().header("Authorization", tenant.bearer()).contentType(ContentType.JSON)
                .body("{\"prompt\": \"a star\", \"webhook\": {\"url\": \"" + url + "\", \"events\": [\"queued\"]}}")
                .post("/v1/generations").then().statusCode(202).extract().path("id");
        return UUID.fromString(id);
    }

    /** The scheduler's snapshot of the job queued. */
    private static void queued(TenantKey tenant, UUID job) {
        scheduler.publish(SchedulerStatusFixture.snapshot(job, tenant.id(), 0, 1, JobState.QUEUED, StatusTrigger.QUEUED, null));
    }

    /** An endpoint that accepts connections and never answers; notes when a client gives up and closes. */
    static final class BlackHole implements AutoCloseable {
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicBoolean closedByClient = new AtomicBoolean();
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName(WebhookReceiver.ALLOWED));
        private final List<Socket> held = new CopyOnWriteArrayList<>();

        BlackHole() throws IOException {
            daemon(() -> {
                try {
                    while (true) {
                        Socket socket = server.accept();
                        held.add(socket);
                        accepted.incrementAndGet();
                        daemon(() -> drainUntilClosed(socket));
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
        }

        private static void daemon(Runnable task) {
            Thread thread = new Thread(task, "black-hole");
            thread.setDaemon(true);
            thread.start();
        }

        private void drainUntilClosed(Socket socket) {
            try {
                while (socket.getInputStream().read() >= 0) {
                    // read the request and never answer
                }
                closedByClient.set(true);
            } catch (IOException e) {
                closedByClient.set(true);
            }
        }

        URI url() {
            return URI.create("http://" + WebhookReceiver.ALLOWED + ":" + server.getLocalPort() + "/hook");
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
