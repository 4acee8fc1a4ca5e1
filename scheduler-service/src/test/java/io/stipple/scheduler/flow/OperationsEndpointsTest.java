package io.stipple.scheduler.flow;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.stack.test.StippleStackResource;
import org.junit.jupiter.api.Test;

/** Readiness reflects Kafka and Postgres; metrics, the queue view and the OpenAPI document are served. */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OperationsEndpointsTest {

    @Test
    void readinessChecksKafkaAndPostgres() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("SmallRye Reactive Messaging - readiness check"))
                .body("checks.name", hasItem("Reactive PostgreSQL connections health check"));
    }

    @Test
    void metricsIncludeTheQueueGauges() {
        given().when().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("stipple_scheduler_queue_depth{"))
                .body(containsString("stipple_scheduler_in_flight{"));
    }

    @Test
    void theQueueViewShowsTheSlotLimits() {
        given().when().get("/admin/queue").then()
                .statusCode(200)
                .body("slots.find { it.kind == 'finetune' }.limit", equalTo(1));
    }

    @Test
    void theOpenApiDocumentDescribesTheQueueView() {
        given().when().get("/q/openapi?format=json").then()
                .statusCode(200)
                .body(containsString("/admin/queue"));
    }
}
