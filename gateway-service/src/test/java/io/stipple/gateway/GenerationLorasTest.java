package io.stipple.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.Topics;
import io.stipple.contracts.request.JobRequest;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.spec.LoraRef;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.JobStatus;
import io.stipple.contracts.status.JobTimestamps;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.gateway.fixtures.KafkaTopicReader;
import io.stipple.gateway.fixtures.SchedulerStatusFixture;
import io.stipple.gateway.fixtures.Tenants;
import io.stipple.gateway.fixtures.Tenants.TenantKey;
import io.stipple.gateway.service.TenantService;
import io.stipple.stack.test.StippleStackResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code loras} in {@code POST /v1/generations} over the real stack: each must be one of the tenant's ready
 * LoRA versions (an imported LoRA file here) whose base is the job's model, else a 422 naming
 * {@code loras[i].model}; another tenant's LoRA gets exactly the answer of one that does not exist.
 * Versions become ready as in production: their import job's succeeded snapshot names them.
 */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class GenerationLorasTest {

    private static final byte[] FILE = "the import job judges the bytes".getBytes(StandardCharsets.UTF_8);

    @Inject
    TenantService tenantService;

    static TenantKey tenant;
    static TenantKey other;

    /**
     * Once per class (RestAssured's port is set per test): tiny-sd@1 with LoRA ink@1, tiny-sd@2 with LoRA ink@2, an
     * unfinished LoRA pending@1; the other tenant's secret@1 over their-sd@1.
     */
    @BeforeEach
    void models() {
        if (tenant != null) {
            return;
        }
        tenant = Tenants.create(tenantService, "lora", 100);
        other = Tenants.create(tenantService, "lora-other", 100);
        try (SchedulerStatusFixture scheduler = new SchedulerStatusFixture()) {
            imported(scheduler, tenant, "tiny-sd", "1", null);
            imported(scheduler, tenant, "tiny-sd", "2", null);
            imported(scheduler, tenant, "ink", "1", "tiny-sd@1");
            imported(scheduler, tenant, "ink", "2", "tiny-sd@2");
            importForm(tenant, "pending", "1", "tiny-sd@1").post("/v1/models/imports").then().statusCode(202);
            imported(scheduler, other, "their-sd", "1", null);
            imported(scheduler, other, "secret", "1", "their-sd@1");
        }
    }

    @Test
    void aLoraOfTheJobsModelIsPublishedWithItsScaleAndListedWithItsBase() {
        String id = generate(tenant, "tiny-sd@1", "[{\"model\": \"ink@1\", \"scale\": 0.8}]").statusCode(202)
                .body("input.loras[0].model", equalTo("ink@1")).extract().path("id");
        JobSubmitted submitted = assertInstanceOf(JobSubmitted.class, ContractsJson.read(
                KafkaTopicReader.awaitRecords(Topics.JOB_REQUESTS, id, 1).get(0).value(), JobRequest.class));
        GenerationSpec spec = assertInstanceOf(GenerationSpec.class, submitted.spec());
        assertEquals(List.of(new LoraRef(ModelRef.parse("ink@1"), 0.8)), spec.loras());

        String defaulted = generate(tenant, "tiny-sd@1", "[{\"model\": \"ink@1\"}]").statusCode(202).extract().path("id");
        GenerationSpec second = (GenerationSpec) ((JobSubmitted) ContractsJson.read(
                KafkaTopicReader.awaitRecords(Topics.JOB_REQUESTS, defaulted, 1).get(0).value(), JobRequest.class)).spec();
        assertEquals(1.0, second.loras().get(0).scale(), "scale defaults to 1");

        authed(tenant).get("/v1/models").then().statusCode(200)
                .body("find { it.model == 'ink@1' }.base_model", equalTo("tiny-sd@1"))
                .body("find { it.model == 'tiny-sd@1' }.base_model", equalTo(null));
    }

    @Test
    void aLoraThatDoesNotFitTheModelIsRefusedNamingIt() {
        generate(tenant, "tiny-sd@1", "[{\"model\": \"ink@1\"}, {\"model\": \"ink@2\"}]").statusCode(422)
                .body("errors[0].field", equalTo("loras[1].model"))
                .body("errors[0].message", containsString("a LoRA version of tiny-sd@2, not of this job's model tiny-sd@1"));
        generate(tenant, "tiny-sd@1", "[{\"model\": \"tiny-sd@2\"}]").statusCode(422)
                .body("errors[0].field", equalTo("loras[0].model"))
                .body("errors[0].message", containsString("not a LoRA version"));
        generate(tenant, "tiny-sd@1", "[{\"model\": \"stipple-base-16@6\"}]").statusCode(422)
                .body("errors[0].field", equalTo("loras[0].model"))
                .body("errors[0].message", containsString("not a LoRA version"));
        generate(tenant, "stipple-base-16@6", "[{\"model\": \"ink@1\"}]").statusCode(422)
                .body("errors[0].field", equalTo("loras"));
        generate(tenant, "ink@1", "[]").statusCode(422).body("errors[0].field", equalTo("model"))
                .body("errors[0].message", containsString("name tiny-sd@1 as model and ink@1 in loras"));
    }

    /** Unfinished, another tenant's and non-existent LoRAs: one answer, word for word but the name. */
    @Test
    void anInvisibleLoraIsAnsweredAsOneThatDoesNotExist() {
        String missing = generate(tenant, "tiny-sd@1", "[{\"model\": \"nowhere@1\"}]").statusCode(422)
                .body("errors[0].field", equalTo("loras[0].model")).extract().path("errors[0].message");
        String theirs = generate(tenant, "tiny-sd@1", "[{\"model\": \"secret@1\"}]").statusCode(422)
                .body("errors[0].field", equalTo("loras[0].model")).extract().path("errors[0].message");
        String pending = generate(tenant, "tiny-sd@1", "[{\"model\": \"pending@1\"}]").statusCode(422)
                .body("errors[0].field", equalTo("loras[0].model")).extract().path("errors[0].message");
        assertEquals(missing.replace("nowhere@1", "X"), theirs.replace("secret@1", "X"));
        assertEquals(missing.replace("nowhere@1", "X"), pending.replace("pending@1", "X"));
        // and the owner of secret@1 may use it
        generate(other, "their-sd@1", "[{\"model\": \"secret@1\", \"scale\": -0.5}]").statusCode(202);
    }

    @Test
    void malformedLorasAreRefusedNamingTheEntry() {
        generate(tenant, "tiny-sd@1", "[{\"model\": \"ink@1\", \"scale\": 4.5}]").statusCode(422)
                .body("errors[0].field", equalTo("loras[0].scale"));
        generate(tenant, "tiny-sd@1", "[{\"model\": \"ink@1\"}, {\"model\": \"ink\"}]").statusCode(422)
                .body("errors[0].field", equalTo("loras[1].model"));
        generate(tenant, "tiny-sd@1", "[{\"model\": \"ink@1\"}, {\"model\": \"ink@1\", \"scale\": 0.5}]").statusCode(422)
                .body("errors[0].field", equalTo("loras[1].model"))
                .body("errors[0].message", containsString("a second time"));
        generate(tenant, "tiny-sd@1", "[null]").statusCode(400).body("errors[0].field", equalTo("loras[0]"));
        generate(tenant, "tiny-sd@1", "[{\"scale\": 1}]").statusCode(422).body("errors[0].field", equalTo("loras[0].model"));
        StringBuilder nine = new StringBuilder("[");
        for (int i = 0; i <= GenerationSpec.MAX_LORAS; i++) {
            nine.append(i == 0 ? "" : ", ").append("{\"model\": \"style-").append(i).append("@1\"}");
        }
        generate(tenant, "tiny-sd@1", nine.append("]").toString()).statusCode(422).body("errors[0].field", equalTo("loras"));
    }

    private ValidatableResponse generate(TenantKey who, String model, String loras) {
        return authed(who).contentType(ContentType.JSON)
                .body("{\"prompt\": \"a cat\", \"model\": \"" + model + "\", \"loras\": " + loras + "}")
                .post("/v1/generations").then();
    }

    private static RequestSpecification importForm(TenantKey who, String name, String version, String loraBase) {
        RequestSpecification form = authed(who).multiPart("file", name + ".safetensors", FILE).multiPart("name", name)
                .multiPart("version", version);
        return loraBase == null ? form : form.multiPart("format", "lora").multiPart("base_model", loraBase);
    }

    /** Imports a version through the API and lets it succeed as the scheduler would report it; waits until listed. */
    private static void imported(SchedulerStatusFixture scheduler, TenantKey who, String name, String version,
            String loraBase) {
        String id = importForm(who, name, version, loraBase).post("/v1/models/imports").then().statusCode(202)
                .extract().path("id");
        Instant now = Instant.now();
        ModelRef model = new ModelRef(name, version);
        scheduler.publish(new JobStatus(SchemaVersion.CURRENT, UUID.fromString(id), who.id(), 1, 5, now,
                JobKind.MODEL_IMPORT, JobState.SUCCEEDED, StatusTrigger.SUCCEEDED, null, null, List.of(), model, null,
                new JobTimestamps(now, now, now, now), false));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> authed(who).get("/v1/models").then()
                .body("find { it.model == '" + model + "' }.source", equalTo("import")));
    }

    private static RequestSpecification authed(TenantKey who) {
        return given().header("Authorization", who.bearer());
    }
}
