package io.stipple.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.Topics;
import io.stipple.contracts.event.Progress;
import io.stipple.contracts.request.JobRequest;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.Sampler;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.gateway.fixtures.KafkaTopicReader;
import io.stipple.gateway.fixtures.SchedulerStatusFixture;
import io.stipple.gateway.fixtures.Tenants;
import io.stipple.gateway.fixtures.Tenants.TenantKey;
import io.stipple.gateway.service.TenantService;
import io.stipple.stack.test.StippleStackResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The first real path over the real stack: POST -> outbox -> Kafka; scheduler snapshot -> read model -> GET. */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class SubmissionFlowTest {

    static final String BODY = """
            {"prompt": "a red star on a blue background", "num_images": 2, "sampler": "euler_ancestral", "seed": 7}""";

    static SchedulerStatusFixture scheduler;

    @Inject
    TenantService tenantService;

    TenantKey tenant;

    @BeforeAll
    static void startFixture() {
        scheduler = new SchedulerStatusFixture();
    }

    @AfterAll
    static void stopFixture() {
        scheduler.close();
    }

    @BeforeEach
    void newTenant() {
        tenant = Tenants.create(tenantService, "flow", null);
    }

    @Test
    void anAcceptedGenerationIsPublishedWithItsResolvedSpec() {
        Response response = submit(BODY);
        response.then().statusCode(202)
                .header("Location", endsWith("/v1/jobs/" + response.path("id")))
                .body("status", equalTo("submitted"))
                .body("kind", equalTo("generation"))
                .body("attempt", equalTo(0))
                .body("created_at", notNullValue())
                .body("input.prompt", equalTo("a red star on a blue background"))
                .body("input.steps", equalTo(20))
                .body("input.model", equalTo("stipple-base-16@6"))
                .body("input.seed", equalTo(7));
        String id = response.path("id");

        ConsumerRecord<String, String> record = KafkaTopicReader.awaitRecords(Topics.JOB_REQUESTS, id, 1).get(0);
        JobSubmitted submitted = assertInstanceOf(JobSubmitted.class, ContractsJson.read(record.value(), JobRequest.class));
        assertEquals(UUID.fromString(id), submitted.jobId());
        assertEquals(tenant.id(), submitted.tenantId());
        GenerationSpec spec = assertInstanceOf(GenerationSpec.class, submitted.spec());
        assertEquals(2, spec.numImages());
        assertEquals(Sampler.EULER_ANCESTRAL, spec.sampler());
        assertEquals(7L, spec.seed());
    }

    @Test
    void theRecordTheRelaySendsLaterContinuesTheTraceOfTheRequest() {
        String traceId = "3c9d5e7f1a2b4c6d8e0f1a2b3c4d5e6f";
        String id = given().header("Authorization", tenant.bearer()).header("traceparent", "00-" + traceId + "-0123456789abcdef-01")
                .contentType(ContentType.JSON).body(BODY).post("/v1/generations")
                .then().statusCode(202).extract().path("id");

        ConsumerRecord<String, String> record = KafkaTopicReader.awaitRecords(Topics.JOB_REQUESTS, id, 1).get(0);
        var header = record.headers().lastHeader("traceparent");
        assertNotNull(header, "the relay published the row without a trace");
        String[] traceParent = new String(header.value(), java.nio.charset.StandardCharsets.UTF_8).split("-");
        assertEquals(traceId, traceParent[1], "the relay's record left the request's trace");
        assertNotEquals("0123456789abcdef", traceParent[2], "the record's span is a child, not the caller's span");
    }

    @Test
    void aQueuedSnapshotFromTheSchedulerShowsOnGet() {
        String id = submit(BODY).then().statusCode(202).extract().path("id");
        scheduler.publish(SchedulerStatusFixture.snapshot(UUID.fromString(id), tenant.id(), 0, 1, JobState.QUEUED,
                StatusTrigger.QUEUED, null));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> get(id).then().statusCode(200)
                .body("status", equalTo("queued"))
                .body("queued_at", notNullValue()));
    }

    @Test
    void lateAndDuplicateSnapshotsNeverMoveAJobBackwards() {
        UUID id = UUID.fromString(submit(BODY).then().statusCode(202).extract().path("id"));
        scheduler.publish(SchedulerStatusFixture.snapshot(id, tenant.id(), 1, 3, JobState.RUNNING,
                StatusTrigger.PROGRESS, new Progress(5, 25, "base", null, null)));
        scheduler.publish(SchedulerStatusFixture.snapshot(id, tenant.id(), 0, 1, JobState.QUEUED, StatusTrigger.QUEUED, null));
        scheduler.publish(SchedulerStatusFixture.snapshot(id, tenant.id(), 1, 3, JobState.QUEUED, StatusTrigger.QUEUED, null));
        scheduler.publish(SchedulerStatusFixture.snapshot(id, tenant.id(), 1, 4, JobState.SUCCEEDED,
                StatusTrigger.SUCCEEDED, new Progress(25, 25, "base", null, null)));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> get(id.toString()).then()
                .body("status", equalTo("succeeded"))
                .body("outputs[0].key", equalTo("results/" + tenant.id() + "/" + id + "/0.png"))
                .body("metrics.run_seconds", notNullValue()));
        // The event log holds exactly the applied snapshots: submitted, progress (1/3), succeeded (1/4).
        List<String> types = given().header("Authorization", tenant.bearer()).accept("text/event-stream")
                .get("/v1/jobs/" + id + "/events").then().statusCode(200).extract().asString()
                .lines().filter(l -> l.startsWith("event:")).map(l -> l.substring(6).trim()).toList();
        assertEquals(List.of("submitted", "progress", "succeeded"), types);
    }

    @Test
    void anUnreadableSnapshotIsSkippedAndLaterOnesStillApply() {
        String id = submit(BODY).then().statusCode(202).extract().path("id");
        scheduler.send(id, "{not json");
        scheduler.publish(SchedulerStatusFixture.snapshot(UUID.fromString(id), tenant.id(), 0, 1, JobState.QUEUED,
                StatusTrigger.QUEUED, null));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> get(id).then().body("status", equalTo("queued")));
    }

    private Response submit(String body) {
        return given().header("Authorization", tenant.bearer()).contentType(ContentType.JSON).body(body)
                .post("/v1/generations");
    }

    private Response get(String id) {
        return given().header("Authorization", tenant.bearer()).get("/v1/jobs/" + id);
    }
}
