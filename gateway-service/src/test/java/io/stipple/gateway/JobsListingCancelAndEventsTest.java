package io.stipple.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.Topics;
import io.stipple.contracts.event.Progress;
import io.stipple.contracts.request.CancelRequested;
import io.stipple.contracts.request.JobRequest;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.gateway.fixtures.KafkaTopicReader;
import io.stipple.gateway.fixtures.SchedulerStatusFixture;
import io.stipple.gateway.fixtures.SignedUrls;
import io.stipple.gateway.fixtures.Tenants;
import io.stipple.gateway.fixtures.Tenants.TenantKey;
import io.stipple.gateway.service.TenantService;
import io.stipple.stack.test.StippleStackResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class JobsListingCancelAndEventsTest {

    @Inject
    TenantService tenantService;

    @Test
    void listingPagesNewestFirstAndFiltersByStatus() {
        TenantKey tenant = Tenants.create(tenantService, "list", 20);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(submit(tenant, "{\"prompt\": \"job " + i + "\"}"));
        }
        try (SchedulerStatusFixture scheduler = new SchedulerStatusFixture()) {
            scheduler.publish(SchedulerStatusFixture.snapshot(UUID.fromString(ids.get(1)), tenant.id(), 0, 1,
                    JobState.QUEUED, StatusTrigger.QUEUED, null));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().header("Authorization", tenant.bearer())
                .get("/v1/jobs?status=queued").then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.contains(ids.get(1))));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var page = given().header("Authorization", tenant.bearer()).queryParam("limit", 2)
                    .queryParam("status", "submitted").queryParam("kind", "generation");
            if (cursor != null) {
                page.queryParam("cursor", cursor);
            }
            var body = page.get("/v1/jobs").then().statusCode(200).extract();
            seen.addAll(body.path("items.id"));
            cursor = body.path("next_cursor");
        } while (cursor != null);
        assertEquals(List.of(ids.get(4), ids.get(3), ids.get(2), ids.get(0)), seen);
    }

    @Test
    void cancelGoesThroughTheOutboxAfterTheSubmissionAndFinishedJobsRefuse() {
        TenantKey tenant = Tenants.create(tenantService, "cancel", null);
        String id = submit(tenant, "{\"prompt\": \"to cancel\"}");

        given().header("Authorization", tenant.bearer()).post("/v1/jobs/" + id + "/cancel").then().statusCode(202)
                .body("cancel_requested", equalTo(true));
        // Asking twice is harmless and publishes nothing more.
        given().header("Authorization", tenant.bearer()).post("/v1/jobs/" + id + "/cancel").then().statusCode(202);

        List<ConsumerRecord<String, String>> records = KafkaTopicReader.awaitRecords(Topics.JOB_REQUESTS, id, 2);
        assertEquals(2, records.size());
        assertInstanceOf(JobSubmitted.class, ContractsJson.read(records.get(0).value(), JobRequest.class));
        CancelRequested cancel = assertInstanceOf(CancelRequested.class,
                ContractsJson.read(records.get(1).value(), JobRequest.class));
        assertEquals(1, cancel.sequence());
        assertEquals(records.get(0).partition(), records.get(1).partition());

        try (SchedulerStatusFixture scheduler = new SchedulerStatusFixture()) {
            scheduler.publish(SchedulerStatusFixture.snapshot(UUID.fromString(id), tenant.id(), 0, 1,
                    JobState.CANCELED, StatusTrigger.CANCELED, null));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().header("Authorization", tenant.bearer())
                .get("/v1/jobs/" + id).then().body("status", equalTo("canceled")));
        given().header("Authorization", tenant.bearer()).post("/v1/jobs/" + id + "/cancel").then().statusCode(409)
                .body("type", equalTo("urn:stipple:problem:job-finished"));
    }

    @Test
    void theEventStreamEndsAtTheTerminalEventAndResumesAfterLastEventId() throws Exception {
        TenantKey tenant = Tenants.create(tenantService, "sse", null);
        String id = submit(tenant, "{\"prompt\": \"followed\"}");
        UUID job = UUID.fromString(id);
        try (SchedulerStatusFixture scheduler = new SchedulerStatusFixture()) {
            scheduler.publish(SchedulerStatusFixture.snapshot(job, tenant.id(), 0, 1, JobState.QUEUED, StatusTrigger.QUEUED, null));
            scheduler.publish(SchedulerStatusFixture.snapshot(job, tenant.id(), 1, 2, JobState.RUNNING, StatusTrigger.RUNNING, null));
            scheduler.publish(SchedulerStatusFixture.snapshot(job, tenant.id(), 1, 3, JobState.RUNNING,
                    StatusTrigger.PROGRESS, new Progress(10, 25, "base", null, null)));
            scheduler.publish(SchedulerStatusFixture.snapshot(job, tenant.id(), 1, 4, JobState.SUCCEEDED, StatusTrigger.SUCCEEDED, null));
        }
        // The stream completes by itself after "succeeded", so reading it whole terminates.
        List<SseEvent> all = SseEvent.parse(given().header("Authorization", tenant.bearer()).accept("text/event-stream")
                .get("/v1/jobs/" + id + "/events").then().statusCode(200).extract().asString());
        assertEquals(List.of("submitted", "queued", "running", "progress", "succeeded"),
                all.stream().map(SseEvent::name).toList());
        assertTerminalEventCarriesTheJob(tenant, id, all.get(4));
        assertFalse(ContractsJson.mapper().readTree(all.get(3).data()).has("job"), "only the terminal event has the job");

        List<SseEvent> resumed = SseEvent.parse(given().header("Authorization", tenant.bearer())
                .header("Last-Event-ID", all.get(2).id()).accept("text/event-stream")
                .get("/v1/jobs/" + id + "/events").then().statusCode(200).extract().asString());
        // The terminal event's links are signed at each read, so only its id and name repeat exactly.
        assertEquals(all.subList(3, 5).stream().map(e -> e.id() + " " + e.name()).toList(),
                resumed.stream().map(e -> e.id() + " " + e.name()).toList());
        assertEquals(all.get(3), resumed.get(0));
        assertEquals(10, (int) io.restassured.path.json.JsonPath.from(resumed.get(0).data()).getInt("progress.step"));
    }

    @Test
    void anOpenStreamIsWokenByEachEventsCommit() throws Exception {
        // The test profile's safety poll is an hour: this stream can only see what follows its first read
        // through the notifications of the events' commits.
        TenantKey tenant = Tenants.create(tenantService, "sse-push", null);
        String id = submit(tenant, "{\"prompt\": \"watched as it happens\"}");
        UUID job = UUID.fromString(id);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/v1/jobs/" + id + "/events"))
                .header("Authorization", tenant.bearer()).header("Accept", "text/event-stream").build();
        BlockingQueue<String> names = new LinkedBlockingQueue<>();
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<Void> reading = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .thenAccept(response -> response.body().filter(line -> line.startsWith("event:"))
                        .forEach(line -> names.add(line.substring(6).trim())));
        try {
            assertEquals("submitted", names.poll(60, TimeUnit.SECONDS));
            try (SchedulerStatusFixture scheduler = new SchedulerStatusFixture()) {
                scheduler.publish(SchedulerStatusFixture.snapshot(job, tenant.id(), 0, 1, JobState.QUEUED, StatusTrigger.QUEUED, null));
                assertEquals("queued", names.poll(60, TimeUnit.SECONDS));
                scheduler.publish(SchedulerStatusFixture.snapshot(job, tenant.id(), 1, 2, JobState.RUNNING, StatusTrigger.RUNNING, null));
                assertEquals("running", names.poll(60, TimeUnit.SECONDS));
                scheduler.publish(SchedulerStatusFixture.snapshot(job, tenant.id(), 1, 3, JobState.SUCCEEDED, StatusTrigger.SUCCEEDED, null));
                assertEquals("succeeded", names.poll(60, TimeUnit.SECONDS));
            }
            reading.get(60, TimeUnit.SECONDS); // the stream ends after the terminal event
        } finally {
            reading.cancel(true);
        }
    }

    @Test
    void aCancelRequestShowsOnceInTheStreamThoughTheSchedulerEchoesIt() {
        TenantKey tenant = Tenants.create(tenantService, "sse-cancel", null);
        String id = submit(tenant, "{\"prompt\": \"canceled while running\"}");
        UUID job = UUID.fromString(id);
        try (SchedulerStatusFixture scheduler = new SchedulerStatusFixture()) {
            scheduler.publish(SchedulerStatusFixture.snapshot(job, tenant.id(), 0, 1, JobState.QUEUED, StatusTrigger.QUEUED, null));
            scheduler.publish(SchedulerStatusFixture.snapshot(job, tenant.id(), 1, 2, JobState.RUNNING, StatusTrigger.RUNNING, null));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().header("Authorization", tenant.bearer())
                    .get("/v1/jobs/" + id).then().body("status", equalTo("running")));
            given().header("Authorization", tenant.bearer()).post("/v1/jobs/" + id + "/cancel").then().statusCode(202);
            // The scheduler's echo of the request, then the worker's stop.
            scheduler.publish(SchedulerStatusFixture.snapshot(job, tenant.id(), 1, 3, JobState.RUNNING,
                    StatusTrigger.CANCEL_REQUESTED, null));
            scheduler.publish(SchedulerStatusFixture.snapshot(job, tenant.id(), 1, 4, JobState.CANCELED, StatusTrigger.CANCELED, null));
        }
        List<SseEvent> all = SseEvent.parse(given().header("Authorization", tenant.bearer()).accept("text/event-stream")
                .get("/v1/jobs/" + id + "/events").then().statusCode(200).extract().asString());
        assertEquals(List.of("submitted", "queued", "running", "cancel_requested", "canceled"),
                all.stream().map(SseEvent::name).toList());
    }

    @Test
    void eventsOfAnUnknownJobAre404() {
        TenantKey tenant = Tenants.create(tenantService, "sse404", null);
        given().header("Authorization", tenant.bearer()).accept("text/event-stream")
                .get("/v1/jobs/" + UUID.randomUUID() + "/events").then().statusCode(404)
                .body("title", equalTo("Not found"))
                .body("errors", nullValue());
    }

    /** The terminal event keeps its own fields and adds the job as GET /v1/jobs/{id} answers it, links signed. */
    private static void assertTerminalEventCarriesTheJob(TenantKey tenant, String id, SseEvent terminal) throws Exception {
        JsonNode data = ContractsJson.mapper().readTree(terminal.data());
        assertEquals("succeeded", data.get("type").asText());
        assertEquals("succeeded", data.get("status").asText());
        assertTrue(data.hasNonNull("at"), data.toString());
        JsonNode got = ContractsJson.mapper().readTree(given().header("Authorization", tenant.bearer())
                .get("/v1/jobs/" + id).then().statusCode(200).extract().asString());
        assertEquals(SignedUrls.without(got), SignedUrls.without(data.get("job")),
                "the event's job is what GET /v1/jobs/{id} answers, but for when its URLs were signed");
        JsonNode output = data.get("job").get("outputs").get(0);
        assertEquals("results/" + tenant.id() + "/" + id + "/0.png", output.get("key").asText());
        assertTrue(output.get("url").asText().contains("/0.png?"), output.toString());
        assertTrue(output.hasNonNull("expires_at"), output.toString());
    }

    private static String submit(TenantKey tenant, String body) {
        return given().header("Authorization", tenant.bearer()).contentType(ContentType.JSON).body(body)
                .post("/v1/generations").then().statusCode(202).extract().path("id");
    }

    /** One parsed Server-Sent Event. */
    record SseEvent(String id, String name, String data) {
        static List<SseEvent> parse(String stream) {
            List<SseEvent> events = new ArrayList<>();
            for (String block : stream.split("\n\n")) {
                String id = null, name = null;
                StringBuilder data = new StringBuilder();
                for (String line : block.split("\n")) {
                    if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    }
                }
                if (id != null) {
                    events.add(new SseEvent(id, name, data.toString()));
                }
            }
            return events;
        }
    }
}
