package io.stipple.gateway.service;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.stipple.contracts.event.Progress;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.JobStatus;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.fixtures.SchedulerStatusFixture;
import io.stipple.gateway.fixtures.Tenants;
import io.stipple.gateway.fixtures.Tenants.TenantKey;
import io.stipple.gateway.mapping.JobEventMapper;
import io.stipple.gateway.mapping.JobViewMapper;
import io.stipple.gateway.repository.JobEventListener;
import io.stipple.gateway.repository.JobRow;
import io.stipple.gateway.repository.JobViewEvent;
import io.stipple.gateway.repository.JobViewRepository;
import io.stipple.gateway.webhook.WebhookNotifications;
import io.stipple.stack.test.StippleStackResource;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.ObjLongConsumer;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The event streams of the replica whose projection applied a snapshot are woken by that projection itself, and
 * once per event whichever of the two wake-ups (in-process, notification) comes first. The test profile's safety poll
 * is an hour, so a stream that was not woken would hang the test instead of passing it.
 */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class LocalStreamWakeupTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    TenantService tenantService;
    @Inject
    JobQueries queries;
    @Inject
    Pool pool;
    @Inject
    Vertx vertx;
    @Inject
    JobViewRepository views;
    @Inject
    JobViewMapper viewMapper;
    @Inject
    JobEventMapper eventMapper;
    @Inject
    WebhookNotifications webhooks;
    @Inject
    GatewayConfig config;
    @Inject
    StatusProjection projection;
    @Inject
    JobEventStream streams;

    @Test
    void aStreamOfTheProjectingReplicaSeesTheEndThoughNoNotificationComes() {
        // A replica whose listener hears nothing (its connection lost, or a pooler that does not pass LISTEN).
        JobWakeups deaf = new JobWakeups(new JobEventListener(vertx, "postgresql://localhost/unused",
                Optional.empty(), Optional.empty()) {
            @Override
            public synchronized void start(ObjLongConsumer<UUID> onEvent, Runnable onListening) {
            }
        });
        StatusProjection deafProjection = new StatusProjection(pool, views, viewMapper, eventMapper, webhooks, deaf);
        TenantKey tenant = Tenants.create(tenantService, "local-wake", null);
        JobRow job = submit(tenant);

        AssertSubscriber<JobViewEvent> stream = new JobEventStream(views, deaf, config).follow(job, 0)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        stream.awaitItems(1, WAIT);
        apply(deafProjection, job, tenant, 1, JobState.QUEUED, StatusTrigger.QUEUED);
        stream.awaitItems(2, WAIT);
        apply(deafProjection, job, tenant, 2, JobState.SUCCEEDED, StatusTrigger.SUCCEEDED);
        stream.awaitCompletion(WAIT);
        assertEquals(List.of("submitted", "queued", "succeeded"), stream.getItems().stream().map(JobViewEvent::type).toList());
    }

    @Test
    void eachEventReachesAStreamOnceAndInOrderThroughBothWakeUps() {
        TenantKey tenant = Tenants.create(tenantService, "both-wakes", null);
        JobRow job = submit(tenant);
        AssertSubscriber<JobViewEvent> stream = streams.follow(job, 0)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        stream.awaitItems(1, WAIT);
        apply(projection, job, tenant, 1, JobState.QUEUED, StatusTrigger.QUEUED);
        apply(projection, job, tenant, 2, JobState.RUNNING, StatusTrigger.RUNNING);
        for (int step = 1; step <= 10; step++) {
            JobStatus progress = SchedulerStatusFixture.snapshot(job.id(), tenant.id(), 1, 2 + step, JobState.RUNNING,
                    StatusTrigger.PROGRESS, new Progress(step, 10, "base", null, null));
            projection.apply(progress).await().atMost(WAIT);
        }
        apply(projection, job, tenant, 13, JobState.SUCCEEDED, StatusTrigger.SUCCEEDED);
        stream.awaitCompletion(WAIT);

        List<JobViewEvent> stored = views.eventsAfter(job.id(), 0, 100).await().atMost(WAIT);
        assertEquals(14, stored.size());
        assertEquals(stored.stream().map(JobViewEvent::id).toList(), stream.getItems().stream().map(JobViewEvent::id).toList(),
                "every stored event once, in the log's order");
    }

    @Test
    void aSnapshotNamingAnotherTenantWritesAndWakesNothing() {
        TenantKey owner = Tenants.create(tenantService, "owner", null);
        TenantKey other = Tenants.create(tenantService, "other", null);
        JobRow job = submit(owner);
        AssertSubscriber<JobViewEvent> stream = streams.follow(job, 0)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        stream.awaitItems(1, WAIT);

        JobStatus foreign = SchedulerStatusFixture.snapshot(job.id(), other.id(), 1, 1, JobState.SUCCEEDED,
                StatusTrigger.SUCCEEDED, null);
        assertFalse(projection.apply(foreign).await().atMost(WAIT));
        assertNull(queries.get(owner.id(), job.id()).await().atMost(WAIT).status(), "the view was not written");
        assertEquals(1, views.eventsAfter(job.id(), 0, 100).await().atMost(WAIT).size(), "no event was logged");

        apply(projection, job, owner, 2, JobState.SUCCEEDED, StatusTrigger.SUCCEEDED);
        stream.awaitCompletion(WAIT);
        assertEquals(List.of("submitted", "succeeded"), stream.getItems().stream().map(JobViewEvent::type).toList());
        assertTrue(stream.getItems().get(0).id() < stream.getItems().get(1).id());
    }

    private static void apply(StatusProjection projection, JobRow job, TenantKey tenant, long sequence, JobState state,
            StatusTrigger trigger) {
        int attempt = state == JobState.QUEUED ? 0 : 1;
        assertTrue(projection.apply(SchedulerStatusFixture.snapshot(job.id(), tenant.id(), attempt, sequence, state,
                trigger, null)).await().atMost(WAIT), "applied");
    }

    private JobRow submit(TenantKey tenant) {
        String id = given().header("Authorization", tenant.bearer()).contentType("application/json")
                .body("{\"prompt\": \"followed in this replica\"}")
                .post("/v1/generations").then().statusCode(202).extract().path("id");
        return queries.get(tenant.id(), UUID.fromString(id)).await().atMost(WAIT);
    }
}
