package io.stipple.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.stipple.contracts.Topics;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.JobStatus;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.gateway.fixtures.KafkaTopicReader;
import io.stipple.gateway.fixtures.SchedulerStatusFixture;
import io.stipple.gateway.fixtures.Tenants;
import io.stipple.gateway.fixtures.Tenants.TenantKey;
import io.stipple.gateway.service.StatusProjection;
import io.stipple.gateway.service.TenantService;
import io.stipple.stack.test.StippleStackResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class TenancyAndIdempotencyTest {

    @Inject
    TenantService tenantService;

    @Inject
    StatusProjection statusProjection;

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

    @Test
    void concurrentSubmissionsNeverExceedTheLimitAndOneNewKeyMakesOneJob() throws Exception {
        TenantKey tenant = Tenants.create(tenantService, "race", 3);
        List<Integer> statuses = concurrently(12, i -> submit(tenant, null, "{\"prompt\": \"race " + i + "\"}").statusCode());
        assertEquals(3, statuses.stream().filter(s -> s == 202).count(), statuses.toString());
        assertEquals(9, statuses.stream().filter(s -> s == 429).count(), statuses.toString());

        TenantKey keyed = Tenants.create(tenantService, "race-key", 3);
        List<String> ids = concurrently(6, i -> submit(keyed, "same-key", "{\"prompt\": \"once\"}").then().statusCode(202)
                .extract().<String>path("id"));
        assertEquals(1, Set.copyOf(ids).size(), ids.toString());
        // The replays took no slot: two more jobs fit under the limit of 3, a third does not.
        submit(keyed, null, "{\"prompt\": \"two\"}").then().statusCode(202);
        submit(keyed, null, "{\"prompt\": \"three\"}").then().statusCode(202);
        submit(keyed, null, "{\"prompt\": \"four\"}").then().statusCode(429);
    }

    @Test
    void aFinishedJobFreesItsSlotExactlyOnce() throws Exception {
        TenantKey tenant = Tenants.create(tenantService, "slots", 2);
        UUID first = UUID.fromString(submit(tenant, null, "{\"prompt\": \"one\"}").then().statusCode(202).extract().path("id"));
        UUID second = UUID.fromString(submit(tenant, null, "{\"prompt\": \"two\"}").then().statusCode(202).extract().path("id"));
        submit(tenant, null, "{\"prompt\": \"three\"}").then().statusCode(429);

        // Non-terminal snapshots keep the slot.
        project(SchedulerStatusFixture.snapshot(second, tenant.id(), 1, 2, JobState.RUNNING, StatusTrigger.RUNNING, null));
        submit(tenant, null, "{\"prompt\": \"still full\"}").then().statusCode(429);

        // The terminal snapshot redelivered, concurrently and again later, and a late running one: one slot back.
        JobStatus done = SchedulerStatusFixture.snapshot(first, tenant.id(), 1, 5, JobState.SUCCEEDED, StatusTrigger.SUCCEEDED, null);
        concurrently(4, i -> project(done));
        project(done);
        project(SchedulerStatusFixture.snapshot(first, tenant.id(), 1, 3, JobState.RUNNING, StatusTrigger.RUNNING, null));
        submit(tenant, null, "{\"prompt\": \"fits\"}").then().statusCode(202);
        submit(tenant, null, "{\"prompt\": \"full again\"}").then().statusCode(429)
                .body("detail", equalTo("this tenant already has 2 unfinished jobs (limit 2)"));

        // A canceled job frees its slot too.
        project(SchedulerStatusFixture.snapshot(second, tenant.id(), 1, 4, JobState.CANCELED, StatusTrigger.CANCELED, null));
        submit(tenant, null, "{\"prompt\": \"after cancel\"}").then().statusCode(202);
    }

    private boolean project(JobStatus status) {
        return statusProjection.apply(status).await().atMost(Duration.ofSeconds(30));
    }

    private static <T> List<T> concurrently(int n, IntFunction<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.apply(index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static io.restassured.response.Response submit(TenantKey tenant, String key, String body) {
        var request = given().header("Authorization", tenant.bearer()).contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/v1/generations");
    }
}
