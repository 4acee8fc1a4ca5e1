package io.stipple.scheduler.flow;

import static io.stipple.scheduler.fixtures.TestWorkerFixture.PATIENCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.spec.Priority;
import io.stipple.contracts.spec.WebhookEvent;
import io.stipple.contracts.spec.WebhookSpec;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.scheduler.fixtures.KafkaBus;
import io.stipple.scheduler.fixtures.SchedulerDb;
import io.stipple.scheduler.fixtures.Specs;
import io.stipple.scheduler.fixtures.TestWorkerFixture;
import io.stipple.stack.test.StippleStackResource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks over a real HTTP receiver: only the subscribed events are sent, a failed attempt is retried
 * with the same id, every attempt is recorded, and each signature checks out against an HMAC the test
 * computes itself from the configured secret (not with the scheduler's signer).
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class WebhookDeliveryFlowTest {

    /** The key inside {@code %test.scheduler.webhooks.signing-secret}. */
    private static final byte[] KEY = "test-only-webhook-signing-key-32b".getBytes(StandardCharsets.UTF_8);

    record Received(String id, String timestamp, String signature, String keyId, String body) {
    }

    private final KafkaBus bus = KafkaBus.get();
    private final TestWorkerFixture worker = new TestWorkerFixture();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger runningRequests = new AtomicInteger();
    private HttpServer receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestHeaders().getFirst("webhook-id"),
                    exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    exchange.getRequestHeaders().getFirst("webhook-signature"),
                    exchange.getRequestHeaders().getFirst("webhook-key-id"),
                    new String(body, StandardCharsets.UTF_8)));
            // The first job.running request fails, to make the sender retry. Not "the first request": deliveries
            // run in parallel, so job.succeeded may arrive before job.running does.
            boolean firstRunning = new String(body, StandardCharsets.UTF_8).contains("\"job.running\"")
                    && runningRequests.getAndIncrement() == 0;
            exchange.sendResponseHeaders(firstRunning ? 500 : 204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private static String expectedSignature(Received request) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        String signed = request.id() + "." + request.timestamp() + "." + request.body();
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void subscribedEventsArriveSignedAndAFailedAttemptIsRetried() throws Exception {
        UUID jobId = UUID.randomUUID();
        URI url = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        WebhookSpec webhook = new WebhookSpec(url, Set.of(WebhookEvent.RUNNING, WebhookEvent.SUCCEEDED));
        bus.request(JobSubmitted.of(jobId, "tenant-hooks", Instant.now(), Specs.generation(Priority.NORMAL, 1, webhook)));
        GenerationWorkItem work = worker.awaitGenerationWork(jobId, 1);
        worker.complete(work);

        await().atMost(PATIENCE).until(() -> SchedulerDb.webhookDeliveries(jobId).stream()
                .filter(delivery -> delivery.get(1).equals("DELIVERED")).count() == 2);
        assertEquals(List.of(List.of("job.running", "DELIVERED", "2"), List.of("job.succeeded", "DELIVERED", "1")),
                SchedulerDb.webhookDeliveries(jobId), "queued and progress were not subscribed");
        List<List<String>> attempts = SchedulerDb.webhookAttempts(jobId);
        assertTrue(attempts.contains(List.of("job.running", "1", "500")), attempts.toString());
        assertTrue(attempts.contains(List.of("job.running", "2", "204")), attempts.toString());
        assertTrue(attempts.contains(List.of("job.succeeded", "1", "204")), attempts.toString());

        assertEquals(3, received.size());
        for (Received request : received) {
            assertEquals(expectedSignature(request), request.signature(), "signature of " + request.body());
            assertEquals("service", request.keyId(), "a tenant without a secret of its own: the service secret signs");
        }
        List<Received> running = received.stream().filter(r -> r.body().contains("\"job.running\"")).toList();
        assertEquals(2, running.size());
        assertEquals(running.get(0).id(), running.get(1).id(), "a retry keeps the webhook-id");
        assertEquals(running.get(0).body(), running.get(1).body());

        JsonNode succeeded = ContractsJson.mapper().readTree(
                received.stream().filter(r -> r.body().contains("\"job.succeeded\"")).findFirst().orElseThrow().body());
        assertEquals("job.succeeded", succeeded.get("type").asText());
        assertEquals(jobId.toString(), succeeded.get("data").get("job_id").asText());
        assertEquals("succeeded", succeeded.get("data").get("status").asText());
    }
}
