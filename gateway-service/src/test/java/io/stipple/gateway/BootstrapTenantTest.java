package io.stipple.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.stack.test.StippleStackResource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;

@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class BootstrapTenantTest {

    @Test
    void theConfiguredKeyWorksFromTheStart() {
        String key = ConfigProvider.getConfig().getValue("stipple.gateway.bootstrap.api-key", String.class);
        given().header("Authorization", "Bearer " + key).get("/v1/jobs").then().statusCode(200);
        given().header("Authorization", "Bearer " + key.replace("test-only", "test-onlx")).get("/v1/jobs").then()
                .statusCode(401);
    }

    @Test
    void moreTenantsWithKnownKeysAreThereFromTheStartEachSeeingOnlyItsOwnJobs() {
        String first = ConfigProvider.getConfig().getValue("stipple.gateway.bootstrap.api-key", String.class);
        String second = ConfigProvider.getConfig().getValue("stipple.gateway.bootstrap.more-tenants.bootstrap-two",
                String.class);
        String id = given().header("Authorization", "Bearer " + second).contentType("application/json")
                .body("{\"prompt\": \"a red circle\"}").post("/v1/generations").then().statusCode(202)
                .extract().path("id");
        given().header("Authorization", "Bearer " + second).get("/v1/jobs/" + id).then().statusCode(200);
        given().header("Authorization", "Bearer " + first).get("/v1/jobs/" + id).then().statusCode(404);
    }
}
