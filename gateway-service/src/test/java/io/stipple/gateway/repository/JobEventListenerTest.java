package io.stipple.gateway.repository;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.gateway.fixtures.SchedulerStatusFixture;
import io.stipple.gateway.fixtures.Tenants;
import io.stipple.gateway.fixtures.Tenants.TenantKey;
import io.stipple.gateway.service.StatusProjection;
import io.stipple.gateway.service.TenantService;
import io.stipple.stack.test.StippleStackResource;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What another replica hears of a projected snapshot: the job and the id of the event it logged, once committed. */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class JobEventListenerTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    Vertx vertx;
    @Inject
    TenantService tenantService;
    @Inject
    StatusProjection projection;
    @Inject
    JobViewRepository views;
    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String url;
    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> user;
    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    @Test
    void aProjectedEventIsAnnouncedWithItsJobAndId() throws Exception {
        TenantKey tenant = Tenants.create(tenantService, "announced", null);
        UUID job = UUID.fromString(given().header("Authorization", tenant.bearer()).contentType("application/json")
                .body("{\"prompt\": \"heard by another replica\"}")
                .post("/v1/generations").then().statusCode(202).extract().path("id"));
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        CountDownLatch listening = new CountDownLatch(1);
        JobEventListener otherReplica = new JobEventListener(vertx, url, user, password);
        otherReplica.start((jobId, eventId) -> {
            if (jobId.equals(job)) {
                heard.add(jobId + " " + eventId);
            }
        }, listening::countDown);
        try {
            assertTrue(listening.await(WAIT.toSeconds(), TimeUnit.SECONDS), "listening");
            assertTrue(projection.apply(SchedulerStatusFixture.snapshot(job, tenant.id(), 0, 1, JobState.QUEUED,
                    StatusTrigger.QUEUED, null)).await().atMost(WAIT));
            assertTrue(projection.apply(SchedulerStatusFixture.snapshot(job, tenant.id(), 1, 2, JobState.SUCCEEDED,
                    StatusTrigger.SUCCEEDED, null)).await().atMost(WAIT));

            List<JobViewEvent> logged = views.eventsAfter(job, 0, 10).await().atMost(WAIT);
            assertEquals(List.of("submitted", "queued", "succeeded"), logged.stream().map(JobViewEvent::type).toList());
            assertEquals(job + " " + logged.get(1).id(), heard.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertEquals(job + " " + logged.get(2).id(), heard.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        } finally {
            otherReplica.stop();
        }
    }
}
