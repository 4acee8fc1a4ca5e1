package io.stipple.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.JobStatus;
import io.stipple.contracts.status.JobTimestamps;
import io.stipple.contracts.status.StatusTrigger;
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
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tenant isolation of imported models, route by route over the real stack: tenant A has imported a Stable
 * Diffusion model and a LoRA file bound to it; tenant B, on every route that lists, shows or names a model or
 * its import job, gets exactly the answer it gets for a model (or job) that does not exist: the bodies are
 * compared whole, with only the name or id swapped.
 */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class ImportedModelTenancyTest {

    private static final byte[] FILE = "the import job judges the bytes".getBytes(StandardCharsets.UTF_8);

    @Inject
    TenantService tenantService;

    TenantKey owner;
    TenantKey other;
    String model;
    String lora;
    String missing;
    UUID importJob;

    @BeforeEach
    void ownerImportsAModelAndALora() {
        owner = Tenants.create(tenantService, "iso-a", null);
        other = Tenants.create(tenantService, "iso-b", null);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        model = "iso-sd-" + suffix + "@1";
        lora = "iso-style-" + suffix + "@1";
        missing = "iso-none-" + suffix + "@1";
        importJob = imported(owner, model, null);
        imported(owner, lora, model);
    }

    /**
     * An import job of the tenant that succeeded (the scheduler's snapshot), producing {@code ref}: a single file, or a
     * LoRA file over {@code base}; listed once this returns.
     */
    private UUID imported(TenantKey tenant, String ref, String base) {
        ModelRef produced = ModelRef.parse(ref);
        RequestSpecification form = upload(tenant).multiPart("name", produced.name()).multiPart("version", produced.version());
        form = base == null ? form.multiPart("format", "single_file")
                : form.multiPart("format", "lora").multiPart("base_model", base);
        UUID id = UUID.fromString(form.post("/v1/models/imports").then().statusCode(202).extract().path("id"));
        Instant now = Instant.now();
        try (SchedulerStatusFixture scheduler = new SchedulerStatusFixture()) {
            scheduler.publish(new JobStatus(SchemaVersion.CURRENT, id, tenant.id(), 1, 5, now, JobKind.MODEL_IMPORT,
                    JobState.SUCCEEDED, StatusTrigger.SUCCEEDED, null, null, List.of(), produced, null,
                    new JobTimestamps(now, now, now, now), false));
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> as(tenant).get("/v1/models").then()
                .body("model", hasItem(ref)));
        return id;
    }

    @Test
    void theListingsOfAnotherTenantShowNeitherTheModelsNorTheirImports() {
        as(other).get("/v1/models").then().statusCode(200).body("model", not(hasItem(model))).body("model", not(hasItem(lora)));
        TenantKey fresh = Tenants.create(tenantService, "iso-c", null);
        assertEquals(as(fresh).get("/v1/models").then().statusCode(200).extract().asString(),
                as(other).get("/v1/models").then().extract().asString(), "what a tenant without imports sees");
        as(other).get("/v1/jobs?kind=model_import").then().statusCode(200).body("items", equalTo(List.of()));
    }

    @Test
    void theImportJobIsNotFoundAsAJobThatNeverWas() {
        String never = UUID.randomUUID().toString();
        String job = importJob.toString();
        assertSameAnswer(id -> as(other).get("/v1/jobs/" + id), job, never, 404);
        assertSameAnswer(id -> as(other).get("/v1/jobs/" + id + "/events"), job, never, 404);
        assertSameAnswer(id -> as(other).post("/v1/jobs/" + id + "/cancel"), job, never, 404);
    }

    @Test
    void aGenerationNamingTheModelIsAnsweredAsForAnUnknownModel() {
        assertSameAnswer(ref -> as(other).contentType(ContentType.JSON)
                .body("{\"prompt\": \"a cat\", \"model\": \"" + ref + "\"}").post("/v1/generations"), model, missing, 422);
    }

    @Test
    void aGenerationNamingTheLoraIsAnsweredAsForAnUnknownOne() {
        String own = "iso-own-" + UUID.randomUUID().toString().substring(0, 8) + "@1";
        imported(other, own, null);
        assertSameAnswer(ref -> as(other).contentType(ContentType.JSON).body("{\"prompt\": \"a cat\", \"model\": \"" + own
                + "\", \"loras\": [{\"model\": \"" + ref + "\", \"scale\": 0.8}]}").post("/v1/generations"), lora, missing, 422);
        assertSameAnswer(ref -> as(other).contentType(ContentType.JSON)
                .body("{\"prompt\": \"a cat\", \"model\": \"" + ref + "\"}").post("/v1/generations"), lora, missing, 422);
    }

    @Test
    void aFineTuneOnTheModelIsAnsweredAsForAnUnknownBase() {
        assertSameAnswer(ref -> as(other).contentType(ContentType.JSON).body("{\"instance_upload_id\": \"up_missing\", "
                + "\"class_noun\": \"star\", \"output_model_name\": \"theirs\", \"base_model\": \"" + ref + "\"}")
                .post("/v1/finetunes"), model, missing, 422);
    }

    @Test
    void aLoraImportOverTheModelIsAnsweredAsForAnUnknownBase() {
        assertSameAnswer(ref -> upload(other).multiPart("name", "their-style").multiPart("format", "lora")
                .multiPart("base_model", ref).post("/v1/models/imports"), model, missing, 422);
        assertSameAnswer(ref -> upload(other).multiPart("name", "their-style").multiPart("format", "lora")
                .multiPart("base_model", ref).post("/v1/models/imports"), lora, missing, 422);
    }

    @Test
    void importingUnderTheModelsNameIsAcceptedAsForAFreeName() {
        // Names are global in the object store, so the trainer's registry refuses the version later; the gateway's
        // answer must not tell tenant B that tenant A holds it (409 is only for the caller's own versions).
        for (String ref : List.of(model, missing)) {
            ModelRef parsed = ModelRef.parse(ref);
            upload(other).multiPart("name", parsed.name()).multiPart("version", parsed.version())
                    .multiPart("format", "single_file").post("/v1/models/imports").then().statusCode(202)
                    .body("kind", equalTo("model_import")).body("status", equalTo("submitted"));
        }
    }

    /** Both requests get {@code status} and the same body, once the name or id in it is swapped. */
    private static void assertSameAnswer(Function<String, Response> request, String theirs, String absent, int status) {
        Response forTheirs = request.apply(theirs);
        Response forAbsent = request.apply(absent);
        forTheirs.then().statusCode(status);
        forAbsent.then().statusCode(status);
        assertEquals(forAbsent.contentType(), forTheirs.contentType());
        assertEquals(forAbsent.asString(), forTheirs.asString().replace(theirs, absent),
                "the answer for another tenant's " + theirs + " differs from the one for " + absent);
    }

    private static RequestSpecification as(TenantKey tenant) {
        return given().header("Authorization", tenant.bearer());
    }

    private static RequestSpecification upload(TenantKey tenant) {
        return as(tenant).multiPart("file", "model.safetensors", FILE);
    }
}
