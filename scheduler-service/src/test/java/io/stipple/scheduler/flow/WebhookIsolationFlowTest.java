package io.stipple.scheduler.flow;

import static io.stipple.scheduler.fixtures.TestWorkerFixture.PATIENCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.spec.Priority;
import io.stipple.contracts.spec.WebhookEvent;
import io.stipple.contracts.spec.WebhookSpec;
import io.stipple.scheduler.fixtures.KafkaBus;
import io.stipple.scheduler.fixtures.SchedulerDb;
import io.stipple.scheduler.fixtures.Specs;
import io.stipple.stack.test.StippleStackResource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * What keeps webhooks from being abused or starved: one tenant's endpoint that never answers does not
 * hold another tenant's notification; an internal address outside the allow-list is refused at delivery
 * (the gateway's check at submission is not trusted to still hold); each tenant's notifications are
 * signed with its own secret, and a rotation signs with old and new for the grace period.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class WebhookIsolationFlowTest {

    private final KafkaBus bus = KafkaBus.get();

    /** A notification as received: its headers and body. */
    record Received(String id, String timestamp, String signature, String keyIds, String body) {
    }

    @Test
    void anUnansweringEndpointOfOneTenantDoesNotHoldAnotherTenantsNotification() throws Exception {
        try (BlackHole blackHole = new BlackHole(); Receiver receiver = new Receiver("127.0.0.1")) {
            bus.request(JobSubmitted.of(UUID.randomUUID(), "tenant-black-hole", Instant.now(),
                    Specs.generation(Priority.NORMAL, 1, queuedHook(blackHole.url()))));
            await().atMost(PATIENCE).until(() -> blackHole.accepted.get() > 0);

            UUID other = UUID.randomUUID();
            bus.request(JobSubmitted.of(other, "tenant-answering", Instant.now(),
                    Specs.generation(Priority.NORMAL, 1, queuedHook(receiver.url()))));
            await().atMost(PATIENCE).until(() -> !receiver.received.isEmpty());

            // Overlap, not wall-clock time: the other tenant's notification arrived while the black hole
            // still held its request open (the sender gives up on it only after the 30 s request timeout).
            assertFalse(receiver.blackHoleClosedAtArrival(blackHole), "the other tenant's notification waited for the black hole");
            await().atMost(PATIENCE).until(() -> SchedulerDb.webhookDeliveries(other).equals(
                    List.of(List.of("job.queued", "DELIVERED", "1"))));
        }
    }

    @Test
    void anInternalAddressOutsideTheAllowListIsRefusedAtDelivery() throws Exception {
        // 127.0.0.2 is loopback like the allow-listed 127.0.0.1, but not on the list.
        try (Receiver receiver = new Receiver("127.0.0.2")) {
            UUID job = UUID.randomUUID();
            bus.request(JobSubmitted.of(job, "tenant-inward", Instant.now(),
                    Specs.generation(Priority.NORMAL, 1, queuedHook(receiver.url()))));
            await().atMost(PATIENCE).until(() -> SchedulerDb.webhookDeliveries(job).equals(
                    List.of(List.of("job.queued", "FAILED", "1"))));
            List<String> errors = SchedulerDb.webhookAttemptErrors(job);
            assertEquals(1, errors.size(), "given up at once, not retried: " + errors);
            assertTrue(errors.get(0).contains("internal address") && errors.get(0).contains("127.0.0.0/8 (loopback)"), errors.get(0));
            assertTrue(receiver.received.isEmpty(), "nothing reached the receiver");
        }
    }

    @Test
    void eachTenantSignsWithItsOwnSecretAndARotationSignsWithBoth() throws Exception {
        String tenant = "tenant-own-secret-" + UUID.randomUUID().toString().substring(0, 8);
        try (Receiver receiver = new Receiver("127.0.0.1")) {
            Issued first = rotate(tenant);
            bus.request(JobSubmitted.of(UUID.randomUUID(), tenant, Instant.now(),
                    Specs.generation(Priority.NORMAL, 1, queuedHook(receiver.url()))));
            await().atMost(PATIENCE).until(() -> receiver.received.size() == 1);
            Received signedOnce = receiver.received.get(0);
            assertEquals(first.keyId(), signedOnce.keyIds());
            assertEquals(hmac(first.secret(), signedOnce), signedOnce.signature());

            Issued second = rotate(tenant);
            bus.request(JobSubmitted.of(UUID.randomUUID(), tenant, Instant.now(),
                    Specs.generation(Priority.NORMAL, 1, queuedHook(receiver.url()))));
            await().atMost(PATIENCE).until(() -> receiver.received.size() == 2);
            Received signedTwice = receiver.received.get(1);
            assertEquals(second.keyId() + " " + first.keyId(), signedTwice.keyIds(), "newest first");
            assertEquals(hmac(second.secret(), signedTwice) + " " + hmac(first.secret(), signedTwice), signedTwice.signature());
        }
    }

    record Issued(String keyId, String secret) {
    }

    private static Issued rotate(String tenant) {
        var answer = RestAssured.given().auth().oauth2(OperationsEndpointsTest.adminToken())
                .post("/admin/webhook-secrets/" + tenant).then().statusCode(201).extract();
        assertEquals(tenant, answer.path("tenant_id"));
        return new Issued(answer.path("key_id"), answer.path("secret"));
    }

    private static String hmac(String secret, Received request) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        String signed = request.id() + "." + request.timestamp() + "." + request.body();
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }

    private static WebhookSpec queuedHook(URI url) {
        return new WebhookSpec(url, Set.of(WebhookEvent.QUEUED));
    }

    /** An endpoint that accepts connections and never answers; notes when a client gives up and closes. */
    static final class BlackHole implements AutoCloseable {
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicBoolean closedByClient = new AtomicBoolean();
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
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
            return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/hook");
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /** An endpoint that answers 204 and keeps what it received. */
    static final class Receiver implements AutoCloseable {
        final List<Received> received = new CopyOnWriteArrayList<>();
        private final List<Boolean> blackHoleClosed = new CopyOnWriteArrayList<>();
        private final HttpServer server;
        private volatile BlackHole watched;

        Receiver(String address) throws IOException {
            server = HttpServer.create(new InetSocketAddress(address, 0), 0);
            server.createContext("/hook", exchange -> {
                BlackHole blackHole = watched;
                blackHoleClosed.add(blackHole != null && blackHole.closedByClient.get());
                byte[] body = exchange.getRequestBody().readAllBytes();
                var headers = exchange.getRequestHeaders();
                received.add(new Received(headers.getFirst("webhook-id"), headers.getFirst("webhook-timestamp"),
                        headers.getFirst("webhook-signature"), headers.getFirst("webhook-key-id"),
                        new String(body, StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
        }

        /** Whether the black hole's connection was already given up when the first notification arrived here. */
        boolean blackHoleClosedAtArrival(BlackHole blackHole) {
            return blackHoleClosed.isEmpty() || blackHoleClosed.get(0);
        }

        URI url() {
            return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort() + "/hook");
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
