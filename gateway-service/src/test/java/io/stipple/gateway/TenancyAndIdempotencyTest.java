package io.stipple.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.stipple.contracts.Topics;
import io.stipple.gateway.fixtures.KafkaTopicReader;
import io.stipple.gateway.fixtures.Tenants;
import io.stipple.gateway.fixtures.Tenants.TenantKey;
import io.stipple.gateway.service.TenantService;
import io.stipple.stack.test.StippleStackResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class TenancyAndIdempotencyTest {

    @Inject
    TenantService tenantService;

    @Test
    void anotherTenantsJobIsNotFound() {
        TenantKey owner = Tenants.create(tenantService, "owner", null);
        TenantKey other = Tenants.create(tenantService, "other", null);
        String id = submit(owner, null, "{\"prompt\": \"mine\"}").then().statusCode(202).extract().path("id");

        given().header("Authorization", owner.bearer()).get("/v1/jobs/" + id).then().statusCode(200);
        given().header("Authorization", other.bearer()).get("/v1/jobs/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        given().header("Authorization", other.bearer()).post("/v1/jobs/" + id + "/cancel").then().statusCode(404);
        given().header("Authorization", other.bearer()).get("/v1/jobs").then().statusCode(200)
                .body("items.size()", equalTo(0));
    }

    @Test
    void sameKeyAndBodyGiveTheSameJobOnce() {
        TenantKey tenant = Tenants.create(tenantService, "idem", null);
        String first = submit(tenant, "key-1", "{\"prompt\": \"a star\", \"steps\": 10}").then().statusCode(202)
                .header("Idempotent-Replayed", "false").extract().path("id");
        // Same content, different whitespace and field order: still the same request.
        String again = submit(tenant, "key-1", "{ \"steps\": 10,\n \"prompt\": \"a star\" }").then().statusCode(202)
                .header("Idempotent-Replayed", "true").extract().path("id");
        assertEquals(first, again);
        // The server-chosen seed is part of the stored job, so the replay shows the same one.
        given().header("Authorization", tenant.bearer()).get("/v1/jobs/" + first).then()
                .body("input.seed", notNullValue());

        submit(tenant, "key-1", "{\"prompt\": \"a circle\"}").then().statusCode(422)
                .body("type", equalTo("urn:stipple:problem:idempotency-key-reused"))
                .body("errors[0].field", equalTo("Idempotency-Key"));

        // Exactly one JobSubmitted was published for the key.
        assertEquals(1, KafkaTopicReader.awaitRecords(Topics.JOB_REQUESTS, first, 1).size());
        given().header("Authorization", tenant.bearer()).get("/v1/jobs").then().body("items.size()", equalTo(1));
    }

    @Test
    void aTenantAtItsConcurrentJobLimitGets429WithRetryAfter() {
        TenantKey tenant = Tenants.create(tenantService, "busy", 2);
        submit(tenant, null, "{\"prompt\": \"one\"}").then().statusCode(202);
        submit(tenant, null, "{\"prompt\": \"two\"}").then().statusCode(202);
        submit(tenant, null, "{\"prompt\": \"three\"}").then().statusCode(429)
                .header("Retry-After", notNullValue())
                .contentType("application/problem+json")
                .body("detail", equalTo("this tenant already has 2 unfinished jobs (limit 2)"));
    }

    private static io.restassured.response.Response submit(TenantKey tenant, String key, String body) {
        var request = given().header("Authorization", tenant.bearer()).contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/v1/generations");
    }
}
