package io.stipple.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.gateway.fixtures.SchedulerStatusFixture;
import io.stipple.gateway.fixtures.SignedUrls;
import io.stipple.gateway.fixtures.Tenants;
import io.stipple.gateway.fixtures.Tenants.TenantKey;
import io.stipple.gateway.fixtures.WebhookDb;
import io.stipple.gateway.fixtures.WebhookReceiver;
import io.stipple.gateway.fixtures.WebhookReceiver.Received;
import io.stipple.gateway.service.TenantService;
import io.stipple.stack.test.StippleStackResource;
import io.stipple.storage.ObjectStore;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Webhooks over a real HTTP receiver, driven by status snapshots as the scheduler publishes them: only the
 * subscribed events are sent, a failed attempt is retried with the same id and body, every attempt is
 * recorded, each signature checks out against an HMAC the test computes itself from the configured secret
 * (not with the gateway's signer), and the body's {@code data} is the job resource {@code GET /v1/jobs/{id}}
 * answers at the same state, with an output URL that downloads the object.
 */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class WebhookDeliveryFlowTest {

    /** The key inside {@code %test.stipple.gateway.webhooks.signing-secret}. */
    private static final byte[] KEY = "test-only-webhook-signing-key-32b".getBytes(StandardCharsets.UTF_8);
    static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    TenantService tenants;
    @Inject
    ObjectStore store;
    @Inject
    Pool pool;

    @Test
    void subscribedEventsArriveSignedAndAFailedAttemptIsRetriedWithTheJobResourceAsData() throws Exception {
        TenantKey tenant = Tenants.create(tenants, "hooks", null);
        AtomicInteger runningRequests = new AtomicInteger();
        // The first job.running request fails, to make the sender retry. Not "the first request": deliveries
        // run in parallel, so job.succeeded may arrive before job.running does.
        try (SchedulerStatusFixture scheduler = new SchedulerStatusFixture();
             WebhookReceiver receiver = new WebhookReceiver(WebhookReceiver.ALLOWED,
                     body -> body.contains("\"job.running\"") && runningRequests.getAndIncrement() == 0 ? 500 : 204)) {
            UUID job = submit(tenant, receiver.url(), "[\"running\", \"succeeded\"]");
            byte[] image = "not really a png, but the bytes the worker stored".getBytes(StandardCharsets.UTF_8);
            store.put("results/" + tenant.id() + "/" + job + "/0.png", image, "image/png");

            scheduler.publish(SchedulerStatusFixture.snapshot(job, tenant.id(), 0, 1, JobState.QUEUED, StatusTrigger.QUEUED, null));
            scheduler.publish(SchedulerStatusFixture.snapshot(job, tenant.id(), 1, 2, JobState.RUNNING, StatusTrigger.RUNNING, null));
            scheduler.publish(SchedulerStatusFixture.snapshot(job, tenant.id(), 1, 3, JobState.SUCCEEDED, StatusTrigger.SUCCEEDED, null));

            WebhookDb db = new WebhookDb(pool);
            await().atMost(PATIENCE).until(() -> db.deliveries(job).stream().filter(d -> d.get(1).equals("DELIVERED")).count() == 2);
            assertEquals(List.of(List.of("job.running", "DELIVERED", "2"), List.of("job.succeeded", "DELIVERED", "1")),
                    db.deliveries(job), "queued was not subscribed");
            List<List<String>> attempts = db.attempts(job);
            assertTrue(attempts.contains(List.of("job.running", "1", "500")), attempts.toString());
            assertTrue(attempts.contains(List.of("job.running", "2", "204")), attempts.toString());
            assertTrue(attempts.contains(List.of("job.succeeded", "1", "204")), attempts.toString());

            assertEquals(3, receiver.received.size());
            for (Received request : receiver.received) {
                assertEquals(expectedSignature(request), request.signature(), "signature of " + request.body());
                assertEquals("service", request.keyIds(), "a tenant without a secret of its own: the service secret signs");
            }
            List<Received> running = receiver.received.stream().filter(r -> r.body().contains("\"job.running\"")).toList();
            assertEquals(2, running.size());
            assertEquals(running.get(0).id(), running.get(1).id(), "a retry keeps the webhook-id");
            assertEquals(running.get(0).body(), running.get(1).body(), "and the body");
            assertEquals("running", ContractsJson.mapper().readTree(running.get(0).body()).get("data").get("status").asText(),
                    "data is the job as it was at that event");

            JsonNode succeeded = ContractsJson.mapper().readTree(
                    receiver.received.stream().filter(r -> r.body().contains("\"job.succeeded\"")).findFirst().orElseThrow().body());
            assertEquals("job.succeeded", succeeded.get("type").asText());
            assertTrue(succeeded.hasNonNull("timestamp"), succeeded.toString());
            JsonNode got = ContractsJson.mapper().readTree(given().header("Authorization", tenant.bearer())
                    .get("/v1/jobs/" + job).then().statusCode(200).extract().asString());
            assertEquals(SignedUrls.without(got), SignedUrls.without(succeeded.get("data")),
                    "data is what GET /v1/jobs/{id} answers at the same state, but for when its URLs were signed");
            assertEquals(job.toString(), succeeded.get("data").get("id").asText());
            assertEquals("succeeded", succeeded.get("data").get("status").asText());

            HttpResponse<byte[]> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(succeeded.get("data").get("outputs").get(0).get("url").asText())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, download.statusCode(), "the notification's presigned URL downloads the output");
            assertArrayEquals(image, download.body());
        }
    }

    private static UUID submit(TenantKey tenant, URI hook, String events) {
        String id = given().header("Authorization", tenant.bearer()).contentType(ContentType.JSON)
                .body("{\"prompt\": \"a star\", \"webhook\": {\"url\": \"" + hook + "\", \"events\": " + events + "}}")
                .post("/v1/generations").then().statusCode(202).extract().path("id");
        return UUID.fromString(id);
    }

    private static String expectedSignature(Received request) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        String signed = request.id() + "." + request.timestamp() + "." + request.body();
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }
}
