package io.stipple.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.Topics;
import io.stipple.contracts.request.JobRequest;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.spec.ModelImportFormat;
import io.stipple.contracts.spec.ModelImportSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.spec.PredictionType;
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
import io.stipple.storage.ObjectStore;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/models/imports} over the real stack: the file is stored, the import job published
 * with its spec, and once the job succeeds the version is listed for its tenant alone; clashes, bad
 * fields and oversized files are refused before anything is queued.
 */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class ModelImportsTest {

    private static final byte[] CHECKPOINT = "not really a checkpoint; the import job judges that".getBytes(StandardCharsets.UTF_8);

    @Inject
    TenantService tenantService;

    @Inject
    ObjectStore objectStore;

    TenantKey tenant;

    @BeforeEach
    void newTenant() {
        tenant = Tenants.create(tenantService, "imp", null);
    }

    private RequestSpecification upload(TenantKey who, String fileName) {
        return given().header("Authorization", who.bearer()).multiPart("file", fileName, CHECKPOINT);
    }

    @Test
    void anImportIsStoredQueuedAndListedForItsTenantOnlyOnceItSucceeded() {
        String id = upload(tenant, "my-model.safetensors").multiPart("name", "my-sd").multiPart("prediction_type", "v_prediction")
                .multiPart("native_resolution", "768").post("/v1/models/imports")
                .then().statusCode(202).body("kind", equalTo("model_import")).body("status", equalTo("submitted"))
                .extract().path("id");

        JobSubmitted submitted = assertInstanceOf(JobSubmitted.class, ContractsJson.read(
                KafkaTopicReader.awaitRecords(Topics.JOB_REQUESTS, id, 1).get(0).value(), JobRequest.class));
        ModelImportSpec spec = assertInstanceOf(ModelImportSpec.class, submitted.spec());
        assertEquals(ModelRef.parse("my-sd@1"), spec.model());
        assertEquals(ModelImportFormat.SINGLE_FILE, spec.format(), "a .safetensors file is a single file by default");
        assertEquals(PredictionType.V_PREDICTION, spec.predictionType());
        assertEquals(768, spec.nativeResolution());
        assertNull(spec.baseModel());
        assertEquals(CHECKPOINT.length, spec.sourceBytes());
        assertArrayEquals(CHECKPOINT, objectStore.get(spec.sourceKey()));

        // Accepted is not listed: only the job's success registers the version.
        authed().get("/v1/models").then().statusCode(200).body("model", not(hasItem("my-sd@1")));
        Instant now = Instant.now();
        try (SchedulerStatusFixture scheduler = new SchedulerStatusFixture()) {
            scheduler.publish(new JobStatus(SchemaVersion.CURRENT, UUID.fromString(id), tenant.id(), 1, 5, now,
                    JobKind.MODEL_IMPORT, JobState.SUCCEEDED, StatusTrigger.SUCCEEDED, null, null, List.of(),
                    ModelRef.parse("my-sd@1"), null, new JobTimestamps(now, now, now, now), false));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> authed().get("/v1/models").then()
                .body("find { it.model == 'my-sd@1' }.source", equalTo("import"))
                .body("find { it.model == 'my-sd@1' }.import_job_id", equalTo(id)));

        // This tenant can name it; importing it again is a conflict.
        authed().contentType(ContentType.JSON).body("{\"prompt\": \"a cat\", \"model\": \"my-sd@1\"}")
                .post("/v1/generations").then().statusCode(202);
        upload(tenant, "again.safetensors").multiPart("name", "my-sd").post("/v1/models/imports").then()
                .statusCode(409).body("type", equalTo("urn:stipple:problem:model-exists"));

        // Another tenant neither sees nor uses it, nor its import job.
        TenantKey other = Tenants.create(tenantService, "other", null);
        given().header("Authorization", other.bearer()).get("/v1/models").then().statusCode(200)
                .body("model", not(hasItem("my-sd@1")));
        given().header("Authorization", other.bearer()).contentType(ContentType.JSON)
                .body("{\"prompt\": \"a cat\", \"model\": \"my-sd@1\"}").post("/v1/generations").then()
                .statusCode(422).body("errors[0].field", equalTo("model"));
        given().header("Authorization", other.bearer()).get("/v1/jobs/" + id).then().statusCode(404);
    }

    @Test
    void clashesAndBadFieldsAreRefusedBeforeAnythingIsQueued() {
        upload(tenant, "x.tgz").multiPart("name", "stipple-base-16").multiPart("version", "6").post("/v1/models/imports")
                .then().statusCode(409).body("type", equalTo("urn:stipple:problem:model-exists"));
        upload(tenant, "x.tgz").post("/v1/models/imports").then().statusCode(422).body("errors[0].field", equalTo("name"));
        upload(tenant, "x.tgz").multiPart("name", "Bad Name").post("/v1/models/imports").then().statusCode(422)
                .body("errors[0].field", equalTo("name"));
        upload(tenant, "x.tgz").multiPart("name", "m").multiPart("format", "ckpt").post("/v1/models/imports").then()
                .statusCode(422).body("errors[0].field", equalTo("format"));
        upload(tenant, "x.tgz").multiPart("name", "m").multiPart("prediction_type", "epsilon").post("/v1/models/imports")
                .then().statusCode(422).body("errors[0].field", equalTo("prediction_type"));
        upload(tenant, "x.safetensors").multiPart("name", "m").multiPart("native_resolution", "500")
                .post("/v1/models/imports").then().statusCode(422).body("errors[0].field", equalTo("native_resolution"));
        upload(tenant, "l.safetensors").multiPart("name", "m").multiPart("format", "lora").post("/v1/models/imports")
                .then().statusCode(422).body("errors[0].field", equalTo("base_model"));
        upload(tenant, "l.safetensors").multiPart("name", "m").multiPart("format", "lora")
                .multiPart("base_model", "someone-elses@1").post("/v1/models/imports").then().statusCode(422)
                .body("errors[0].field", equalTo("base_model"));
        given().header("Authorization", tenant.bearer()).multiPart("name", "m").post("/v1/models/imports").then()
                .statusCode(422).body("errors[0].field", equalTo("file"));
        authed().get("/v1/jobs?kind=model_import").then().statusCode(200).body("items", equalTo(List.of()));
    }

    @Test
    void aLoraImportIsQueuedWithTheBaseItNames() {
        String id = upload(tenant, "style.safetensors").multiPart("name", "my-style").multiPart("format", "lora")
                .multiPart("base_model", "stipple-base-16@6").post("/v1/models/imports").then().statusCode(202)
                .body("kind", equalTo("model_import")).extract().path("id");
        ModelImportSpec spec = assertInstanceOf(ModelImportSpec.class, assertInstanceOf(JobSubmitted.class, ContractsJson.read(
                KafkaTopicReader.awaitRecords(Topics.JOB_REQUESTS, id, 1).get(0).value(), JobRequest.class)).spec());
        assertEquals(ModelImportFormat.LORA, spec.format());
        assertEquals(ModelRef.parse("stipple-base-16@6"), spec.baseModel(), "the trainer judges whether it fits");
        assertEquals(ModelRef.parse("my-style@1"), spec.model());

        upload(tenant, "style.safetensors").multiPart("name", "my-style").multiPart("format", "lora")
                .multiPart("base_model", "no-version").post("/v1/models/imports").then().statusCode(422)
                .body("errors[0].field", equalTo("base_model"));
        upload(tenant, "x.tgz").multiPart("name", "my-sd").multiPart("format", "diffusers")
                .multiPart("base_model", "stipple-base-16@6").post("/v1/models/imports").then().statusCode(422)
                .body("errors[0].field", equalTo("base_model")).body("errors[0].message", equalTo("is only for format lora"));
        upload(tenant, "style.safetensors").multiPart("name", "my-style").multiPart("format", "lora")
                .multiPart("base_model", "stipple-base-16@6").multiPart("native_resolution", "512").post("/v1/models/imports")
                .then().statusCode(422).body("errors[0].field", equalTo("native_resolution"));
    }

    @Test
    void aFileOverTheImportLimitIs413() {
        byte[] big = new byte[2 * 1024 * 1024 + 1];
        given().header("Authorization", tenant.bearer()).multiPart("file", "big.safetensors", big).multiPart("name", "big")
                .post("/v1/models/imports").then().statusCode(413).body("type", equalTo("urn:stipple:problem:payload-too-large"));
    }

    private RequestSpecification authed() {
        return given().header("Authorization", tenant.bearer());
    }
}
