package io.stipple.scheduler.flow;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.stipple.scheduler.fixtures.SchedulerDb;
import io.stipple.scheduler.metrics.OutboxGauges;
import io.stipple.stack.test.StippleStackResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The operator surfaces and who reaches them: health, metrics and the OpenAPI document on the management
 * interface only (the public port answers 404), the queue view only with the admin token.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OperationsEndpointsTest {

    @TestHTTPResource(value = "health/ready", management = true)
    URL readiness;
    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;
    @TestHTTPResource(value = "openapi?format=json", management = true)
    URL openApi;
    @Inject
    OutboxGauges outboxGauges;

    static String adminToken() {
        return ConfigProvider.getConfig().getValue("stipple.admin.token", String.class);
    }

    @Test
    void readinessChecksKafkaAndPostgres() {
        given().when().get(readiness).then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("SmallRye Reactive Messaging - readiness check"))
                .body("checks.name", hasItem("Reactive PostgreSQL connections health check"));
    }

    @Test
    void metricsIncludeTheQueueGauges() {
        given().when().get(metrics).then()
                .statusCode(200)
                .body(containsString("stipple_scheduler_queue_depth{"))
                .body(containsString("stipple_scheduler_in_flight{"));
    }

    /**
     * The outbox's backlog: a row the relay cannot send (a channel nobody has), written an hour ago, is
     * counted, and the oldest row's age is at least its hour.
     */
    @Test
    void metricsIncludeTheOutboxBacklogGauges() throws Throwable {
        UUID job = UUID.randomUUID();
        SchedulerDb.insertUnsendableOutboxRow(job, Duration.ofHours(1));
        try {
            long pending = VertxContextSupport.subscribeAndAwait(() -> outboxGauges.refresh());
            assertTrue(pending >= 1, "pending " + pending);
            String scraped = given().when().get(metrics).then().statusCode(200).extract().asString();
            assertEquals((double) pending, sample(scraped, "stipple_scheduler_outbox_pending"));
            double age = sample(scraped, "stipple_scheduler_outbox_oldest_age_seconds");
            assertTrue(age >= 3600, "our row has waited an hour, so the oldest at least that long: " + age);
        } finally {
            SchedulerDb.deleteOutbox(job);
        }
    }

    /** The value of the metric's sample in Prometheus text (the last field of its line). */
    private static double sample(String scraped, String name) {
        return scraped.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{")).findFirst()
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError(name + " not in the scrape"));
    }

    @Test
    void thePublicPortServesNoHealthMetricsOrApiDescription() {
        given().when().get("/q/metrics").then().statusCode(404);
        given().when().get("/q/health/ready").then().statusCode(404);
        given().when().get("/q/openapi").then().statusCode(404);
    }

    @Test
    void theQueueViewShowsTheSlotLimitsWithTheAdminToken() {
        given().auth().oauth2(adminToken()).when().get("/admin/queue").then()
                .statusCode(200)
                .body("slots.find { it.kind == 'finetune' }.limit", equalTo(1));
    }

    @Test
    void theAdminEndpointsRefuseAMissingOrWrongToken() {
        given().when().get("/admin/queue").then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("type", equalTo("urn:stipple:problem:unauthorized"));
        given().auth().oauth2(adminToken() + "x").when().get("/admin/queue").then()
                .statusCode(401)
                .body("detail", equalTo("the admin token is wrong"));
        given().header("Authorization", "Basic " + adminToken()).when().get("/admin/queue").then()
                .statusCode(401);
        // Other spellings of the path: the filter judges the resource that matched, so none reaches the queue.
        given().when().get("/admin/./queue").then().statusCode(anyOf(equalTo(401), equalTo(404)));
        given().when().get("//admin/queue").then().statusCode(anyOf(equalTo(401), equalTo(404)));
        given().when().get("/admin/%71ueue").then().statusCode(anyOf(equalTo(401), equalTo(404)));
    }

    @Test
    void theOpenApiDocumentDescribesTheQueueView() {
        given().when().get(openApi).then()
                .statusCode(200)
                .body(containsString("/admin/queue"));
    }
}
