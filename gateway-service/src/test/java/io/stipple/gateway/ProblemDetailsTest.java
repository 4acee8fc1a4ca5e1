package io.stipple.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.stipple.gateway.fixtures.Tenants;
import io.stipple.gateway.fixtures.Tenants.TenantKey;
import io.stipple.gateway.service.TenantService;
import io.stipple.stack.test.StippleStackResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** Every bad request is an RFC 9457 problem naming the offending field. */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class ProblemDetailsTest {

    @Inject
    TenantService tenantService;

    TenantKey tenant;

    @BeforeEach
    void newTenant() {
        tenant = Tenants.create(tenantService, "problems", null);
    }

    @Test
    void malformedJsonSaysWhere() {
        post("{\"prompt\": \"a star\",, }").statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:stipple:problem:malformed-json"))
                .body("status", equalTo(400))
                .body("detail", startsWith("malformed JSON at line 1, column"))
                .body("instance", equalTo("/v1/generations"));
    }

    @Test
    void wrongTypeNamesTheFieldAndTheExpectedType() {
        post("{\"prompt\": \"a star\", \"steps\": \"many\"}").statusCode(400)
                .body("errors[0].field", equalTo("steps"))
                .body("errors[0].message", equalTo("must be an integer"));
        post("{\"prompt\": \"a star\", \"steps\": 2.5}").statusCode(400)
                .body("errors[0].field", equalTo("steps"));
    }

    @Test
    void unknownEnumValueListsTheAllowedOnes() {
        post("{\"prompt\": \"a star\", \"sampler\": \"plms\"}").statusCode(400)
                .body("errors[0].field", equalTo("sampler"))
                .body("errors[0].message", containsString("euler_ancestral"))
                .body("errors[0].message", containsString("got \"plms\""));
        post("{\"prompt\": \"a star\", \"sampler_settings\": {\"timestep_spacing\": \"odd\"}}").statusCode(400)
                .body("errors[0].field", equalTo("sampler_settings.timestep_spacing"));
    }

    @Test
    void unknownFieldIsRejectedSoTyposAreNoticed() {
        post("{\"prompt\": \"a star\", \"negative_promt\": \"blur\"}").statusCode(400)
                .body("errors[0].field", equalTo("negative_promt"))
                .body("errors[0].message", equalTo("is not a known field"));
    }

    @Test
    void outOfRangeAndMissingValuesAreValidationProblems() {
        post("{\"prompt\": \"a star\", \"num_images\": 9, \"sampler_settings\": {\"eta\": 1.5}}").statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:stipple:problem:validation"))
                .body("errors.field", org.hamcrest.Matchers.contains("num_images", "sampler_settings.eta"))
                .body("errors[0].message", equalTo("must be less than or equal to 8"));
        post("{\"num_images\": 1}").statusCode(422)
                .body("errors[0].field", equalTo("prompt"));
        post("").statusCode(422).body("errors[0].field", equalTo("body"));
    }

    @Test
    void crossFieldRulesAndModelSyntaxAreChecked() {
        post("{\"prompt\": \"a star\", \"mask_upload_id\": \"up_1\"}").statusCode(422)
                .body("errors[0].field", equalTo("mask_upload_id"));
        post("{\"prompt\": \"a star\", \"model\": \"base-without-version\"}").statusCode(422)
                .body("errors[0].field", equalTo("model"))
                .body("errors[0].message", equalTo("must be written name@version"));
        post("{\"prompt\": \"a star\", \"webhook\": {\"url\": \"ftp://x\"}}").statusCode(422)
                .body("errors[0].field", equalTo("webhook.url"));
    }

    @Test
    void classifierLabelsAndImageToImageStrengthAreCheckedAgainstWhatTheWorkerCanRun() {
        post("{\"prompt\": \"a star\", \"classifier_guidance\": {\"label\": \"unicorn\"}}").statusCode(422)
                .body("errors[0].field", equalTo("classifier_guidance.label"));
        post("{\"prompt\": \"a star\", \"steps\": 20, \"init_image\": {\"upload_id\": \"up_1\", \"strength\": 0.04}}")
                .statusCode(422)
                .body("errors[0].field", equalTo("init_image.strength"))
                .body("errors[0].message", equalTo("runs no step with 20 steps: must be at least 1/steps (0.05)"));
    }

    @Test
    void oversizedBodyIsRefusedBeforeReading() {
        String big = "{\"prompt\": \"" + "a".repeat(70_000) + "\"}";
        post(big).statusCode(413)
                .contentType("application/problem+json")
                .body("detail", containsString("limited to 65536 bytes"));
    }

    @Test
    void missingOrWrongApiKeyIs401Problem() {
        given().contentType(ContentType.JSON).body("{\"prompt\": \"a\"}").post("/v1/generations").then()
                .statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Bearer stp_000000000000_wrong").get("/v1/jobs").then().statusCode(401)
                .body("detail", equalTo("the API key is not valid"));
    }

    @Test
    void badQueryParametersNameTheParameter() {
        given().header("Authorization", tenant.bearer()).get("/v1/jobs?status=done").then().statusCode(422)
                .body("errors[0].field", equalTo("status"));
        given().header("Authorization", tenant.bearer()).get("/v1/jobs?limit=0").then().statusCode(422)
                .body("errors[0].field", equalTo("limit"));
        given().header("Authorization", tenant.bearer()).get("/v1/jobs?cursor=xyz").then().statusCode(422)
                .body("errors[0].field", equalTo("cursor"));
    }

    private ValidatableResponse post(String body) {
        return given().header("Authorization", tenant.bearer()).contentType(ContentType.JSON).body(body)
                .post("/v1/generations").then().log().ifValidationFails();
    }
}
