package io.stipple.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.Topics;
import io.stipple.contracts.event.JobOutput;
import io.stipple.contracts.request.JobRequest;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.spec.FineTuneMethod;
import io.stipple.contracts.spec.FineTuneSpec;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.JobStatus;
import io.stipple.contracts.status.JobTimestamps;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.gateway.fixtures.KafkaTopicReader;
import io.stipple.gateway.fixtures.SchedulerStatusFixture;
import io.stipple.gateway.fixtures.TestImages;
import io.stipple.gateway.fixtures.Tenants;
import io.stipple.gateway.fixtures.Tenants.TenantKey;
import io.stipple.gateway.service.TenantService;
import io.stipple.stack.test.StippleStackResource;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class UploadsFineTunesAndModelsTest {

    @Inject
    TenantService tenantService;

    @Inject
    ObjectStore objectStore;

    TenantKey tenant;

    @BeforeEach
    void newTenant() {
        tenant = Tenants.create(tenantService, "tune", null);
    }

    @Test
    void imagesAreCheckedByContentAndStored() {
        String id = upload(TestImages.png(16, 12, 1), TestImages.png(16, 12, 2), TestImages.png(16, 12, 3))
                .then().statusCode(201)
                .body("images.size()", equalTo(3))
                .body("images[0].width", equalTo(16))
                .body("images[0].height", equalTo(12))
                .body("images[2].content_type", equalTo("image/png"))
                .extract().path("id");
        byte[] stored = objectStore.get(ObjectKeys.upload(tenant.id(), id, "1.png"));
        assertArrayEquals(TestImages.png(16, 12, 2), stored);
    }

    @Test
    void aFileIsJudgedByItsBytesNotItsNameOrHeader() {
        authed().multiPart("file", "star.png", "just text, not an image".getBytes(), "image/png")
                .post("/v1/uploads").then().statusCode(415)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("file[0]"));
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeader() {
        upload(TestImages.png(8, 8, 1), TestImages.pngHeaderClaiming(50_000, 50_000)).then().statusCode(422)
                .body("errors[0].field", equalTo("file[1]"))
                .body("errors[0].message", containsString("is 50000x50000 pixels"));
    }

    @Test
    void aFineTuneIsAcceptedWithItsDefaultsAndPublished() {
        String upload = threeImages();
        String body = "{\"instance_upload_id\": \"" + upload + "\", \"class_noun\": \"star\", \"output_model_name\": \"my-star\"}";
        String id = authed().contentType(ContentType.JSON).body(body).post("/v1/finetunes").then().statusCode(202)
                .body("kind", equalTo("finetune"))
                .body("status", equalTo("submitted"))
                .body("input.identifier_token", equalTo("sks"))
                .body("input.method", equalTo("full"))
                .body("input.lora_rank", nullValue())
                .body("input.steps", equalTo(300))
                .body("input.learning_rate", equalTo(1e-4f))
                .body("input.batch_size", equalTo(4))
                .body("input.train_text_encoder", equalTo(false))
                .body("input.prior_preservation.enabled", equalTo(true))
                .body("input.prior_preservation.num_class_images", equalTo(100))
                .body("input.base_model", equalTo("stipple-base-16@6"))
                .extract().path("id");
        JobSubmitted submitted = assertInstanceOf(JobSubmitted.class, ContractsJson.read(
                KafkaTopicReader.awaitRecords(Topics.JOB_REQUESTS, id, 1).get(0).value(), JobRequest.class));
        FineTuneSpec spec = assertInstanceOf(FineTuneSpec.class, submitted.spec());
        assertEquals(FineTuneMethod.FULL, spec.method());
        assertEquals(1e-4, spec.learningRate());
        assertEquals("a sks star", spec.instancePrompt());
    }

    @Test
    void aLoraFineTuneGetsTheLoraDefaults() {
        String body = "{\"instance_upload_id\": \"" + threeImages() + "\", \"class_noun\": \"star\", "
                + "\"output_model_name\": \"my-lora-star\", \"method\": \"lora\"}";
        authed().contentType(ContentType.JSON).body(body).post("/v1/finetunes").then().statusCode(202)
                .body("input.method", equalTo("lora"))
                .body("input.lora_rank", equalTo(16))
                .body("input.steps", equalTo(600))
                .body("input.learning_rate", equalTo(1e-3f))
                .body("input.train_text_encoder", equalTo(true));
    }

    @Test
    void fineTuneRulesNameTheField() {
        String three = threeImages();
        String one = upload(TestImages.png(8, 8, 9)).then().statusCode(201).extract().path("id");
        fineTune("\"instance_upload_id\": \"" + three + "\", \"identifier_token\": \"red\"").statusCode(422)
                .body("errors[0].field", equalTo("identifier_token"));
        fineTune("\"instance_upload_id\": \"" + one + "\"").statusCode(422)
                .body("errors[0].field", equalTo("instance_upload_id"))
                .body("errors[0].message", equalTo("must hold 3 to 10 images, this upload has 1"));
        fineTune("\"instance_upload_id\": \"up_missing\"").statusCode(422)
                .body("errors[0].field", equalTo("instance_upload_id"));
        fineTune("\"instance_upload_id\": \"" + three + "\", \"base_model\": \"nope@9\"").statusCode(422)
                .body("errors[0].field", equalTo("base_model"));
        fineTune("\"instance_upload_id\": \"" + three + "\", \"method\": \"full\", \"lora_rank\": 8").statusCode(422)
                .body("errors[0].field", equalTo("lora_rank"));
    }

    @Test
    void modelsListTheBundledOneAndVersionsFromTheTenantsFineTunes() {
        authed().get("/v1/models").then().statusCode(200)
                .body("model", equalTo(List.of("stipple-base-16@6", "stipple-base-16@5", "stipple-base-16@3", "stipple-base-16@2")));
        String upload = threeImages();
        String id = authed().contentType(ContentType.JSON).body("{\"instance_upload_id\": \"" + upload
                + "\", \"class_noun\": \"star\", \"output_model_name\": \"my-star\"}").post("/v1/finetunes")
                .then().statusCode(202).extract().path("id");
        succeeded(id, JobKind.FINETUNE, "my-star@1");
        // The new version can be named by a generation of this tenant, and only this one.
        authed().contentType(ContentType.JSON).body("{\"prompt\": \"a sks star\", \"model\": \"my-star@1\"}")
                .post("/v1/generations").then().statusCode(202);
        TenantKey other = Tenants.create(tenantService, "other", null);
        given().header("Authorization", other.bearer()).contentType(ContentType.JSON)
                .body("{\"prompt\": \"a sks star\", \"model\": \"my-star@1\"}").post("/v1/generations").then()
                .statusCode(422).body("errors[0].field", equalTo("model"));
    }

    /**
     * An imported base is a Stable Diffusion model, which the trainer fine-tunes with LoRA on its U-Net only: such a
     * fine-tune gets LoRA and SD's defaults, and a full fine-tune or a trained text encoder is refused naming the field.
     */
    @Test
    void aFineTuneOfAnImportedBaseIsLoraWithItsOwnDefaults() {
        String importId = authed().multiPart("file", "pipeline.tgz", new byte[] {1, 2, 3}).multiPart("name", "my-sd")
                .post("/v1/models/imports").then().statusCode(202).extract().path("id");
        succeeded(importId, JobKind.MODEL_IMPORT, "my-sd@1");
        String fields = "\"base_model\": \"my-sd@1\", \"instance_upload_id\": \"" + threeImages() + "\"";
        fineTune(fields).statusCode(202)
                .body("input.method", equalTo("lora"))
                .body("input.lora_rank", equalTo(4))
                .body("input.steps", equalTo(500))
                .body("input.learning_rate", equalTo(1e-4f))
                .body("input.train_text_encoder", equalTo(false));
        fineTune(fields + ", \"lora_rank\": 8, \"steps\": 20").statusCode(202)
                .body("input.lora_rank", equalTo(8))
                .body("input.steps", equalTo(20));
        fineTune(fields + ", \"method\": \"full\"").statusCode(422)
                .body("errors[0].field", equalTo("method"))
                .body("errors[0].message", containsString("my-sd@1 is an imported Stable Diffusion model"));
        fineTune(fields + ", \"train_text_encoder\": true").statusCode(422)
                .body("errors[0].field", equalTo("train_text_encoder"));
        // The bundled base keeps its own defaults.
        fineTune("\"instance_upload_id\": \"" + threeImages() + "\", \"method\": \"lora\"").statusCode(202)
                .body("input.lora_rank", equalTo(16))
                .body("input.train_text_encoder", equalTo(true));
    }

    /** The scheduler's snapshot of a job that succeeded, producing {@code model}, and the gateway listing it. */
    private void succeeded(String id, JobKind kind, String model) {
        Instant now = Instant.now();
        try (SchedulerStatusFixture scheduler = new SchedulerStatusFixture()) {
            scheduler.publish(new JobStatus(SchemaVersion.CURRENT, UUID.fromString(id), tenant.id(), 1, 5, now,
                    kind, JobState.SUCCEEDED, StatusTrigger.SUCCEEDED, null, null, List.of(),
                    ModelRef.parse(model), null, new JobTimestamps(now, now, now, now), false));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> authed().get("/v1/models").then()
                .body("model", hasItem(model)));
    }

    @Test
    void resultsAreServedAsWorkingPresignedUrls() throws Exception {
        String id = authed().contentType(ContentType.JSON).body("{\"prompt\": \"a star\"}").post("/v1/generations")
                .then().statusCode(202).extract().path("id");
        String key = ObjectKeys.result(tenant.id(), id, 0);
        byte[] png = TestImages.png(8, 8, 4);
        objectStore.put(key, png, "image/png");
        Instant now = Instant.now();
        try (SchedulerStatusFixture scheduler = new SchedulerStatusFixture()) {
            scheduler.publish(new JobStatus(SchemaVersion.CURRENT, UUID.fromString(id), tenant.id(), 1, 4, now,
                    JobKind.GENERATION, JobState.SUCCEEDED, StatusTrigger.SUCCEEDED, null, null,
                    List.of(new JobOutput(key, "image/png", png.length, Map.of("index", "0"))), null, null,
                    new JobTimestamps(now, now, now, now), false));
        }
        String url = await().atMost(Duration.ofSeconds(60)).until(() -> authed().get("/v1/jobs/" + id).then()
                .extract().<String>path("outputs[0].url"), u -> u != null);
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertArrayEquals(png, response.body());
    }

    private String threeImages() {
        return upload(TestImages.png(8, 8, 1), TestImages.png(8, 8, 2), TestImages.png(8, 8, 3))
                .then().statusCode(201).extract().path("id");
    }

    private io.restassured.response.ValidatableResponse fineTune(String fields) {
        return authed().contentType(ContentType.JSON)
                .body("{\"class_noun\": \"star\", \"output_model_name\": \"m\", " + fields + "}")
                .post("/v1/finetunes").then();
    }

    private io.restassured.response.Response upload(byte[]... images) {
        RequestSpecification request = authed();
        for (int i = 0; i < images.length; i++) {
            request.multiPart("file", "image" + i + ".bin", images[i], "application/octet-stream");
        }
        return request.post("/v1/uploads");
    }

    private RequestSpecification authed() {
        return given().header("Authorization", tenant.bearer());
    }
}
