package io.stipple.trainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.stack.test.StippleStackResource;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** The trainer against the real stack: ready only when Kafka and the object store answer. */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class TrainerHealthTest {

    /** The management interface's root ({@code /q/} on its own port): health, metrics, OpenAPI. */
    @TestHTTPResource(value = "", management = true)
    URL management;

    @Test
    void readyWithKafkaAndObjectStoreUp() {
        given().when().get(management + "health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("object-store", "Kafka connection health check"));
    }

    @Test
    void liveAndServesPrometheusMetricsAndOpenApiOnTheManagementPort() {
        given().when().get(management + "health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get(management + "metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        given().when().get(management + "openapi").then().statusCode(200).body(containsString("Stipple trainer-service"));
    }

    @Test
    void thePublicPortServesNoneOfThem() {
        given().when().get("/q/health/ready").then().statusCode(404);
        given().when().get("/q/metrics").then().statusCode(404);
        given().when().get("/q/openapi").then().statusCode(404);
    }
}
