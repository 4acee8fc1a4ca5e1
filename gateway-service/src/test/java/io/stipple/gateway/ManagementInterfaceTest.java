package io.stipple.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.stack.test.StippleStackResource;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Health and metrics are on the management interface, a port of its own that probes and Prometheus reach
 * and an Ingress in front of the public port does not; the public port keeps the API description on purpose.
 */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class ManagementInterfaceTest {

    /** The management interface's root, {@code /q/} on its own port. */
    @TestHTTPResource(value = "", management = true)
    URL management;

    @Test
    void thePublicPortServesNoHealthAndNoMetrics() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/health").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }

    @Test
    void theManagementPortServesHealthAndMetrics() {
        given().get(management + "health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get(management + "health/live").then().statusCode(200);
        given().get(management + "metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void theApiDescriptionStaysOnThePublicPort() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/generations"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
