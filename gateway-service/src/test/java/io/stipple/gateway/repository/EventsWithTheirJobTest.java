package io.stipple.gateway.repository;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.gateway.fixtures.SchedulerStatusFixture;
import io.stipple.gateway.fixtures.Tenants;
import io.stipple.gateway.fixtures.Tenants.TenantKey;
import io.stipple.gateway.service.JobEventStream;
import io.stipple.gateway.service.StatusProjection;
import io.stipple.gateway.service.TenantService;
import io.stipple.stack.test.StippleStackResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stream's read of the log brings the job with the events that ask for it, and only under the job's tenant. */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class EventsWithTheirJobTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    TenantService tenantService;
    @Inject
    StatusProjection projection;
    @Inject
    JobViewRepository views;

    @Test
    void theTerminalEventComesWithTheJobAsItsTenantReadsIt() {
        TenantKey owner = Tenants.create(tenantService, "events-owner", null);
        TenantKey other = Tenants.create(tenantService, "events-other", null);
        UUID job = UUID.fromString(given().header("Authorization", owner.bearer()).contentType("application/json")
                .body("{\"prompt\": \"read with its events\"}")
                .post("/v1/generations").then().statusCode(202).extract().path("id"));
        assertTrue(projection.apply(SchedulerStatusFixture.snapshot(job, owner.id(), 0, 1, JobState.QUEUED,
                StatusTrigger.QUEUED, null)).await().atMost(WAIT));
        assertTrue(projection.apply(SchedulerStatusFixture.snapshot(job, owner.id(), 1, 2, JobState.SUCCEEDED,
                StatusTrigger.SUCCEEDED, null)).await().atMost(WAIT));

        List<JobViewEvent> read = views.eventsAfter(job, 0, 10, owner.id(), JobEventStream.TERMINAL).await().atMost(WAIT);
        assertEquals(List.of("submitted", "queued", "succeeded"), read.stream().map(JobViewEvent::type).toList());
        assertNull(read.get(0).job(), "only the events asked for carry the job");
        assertNull(read.get(1).job(), "only the events asked for carry the job");
        JobRow finished = read.get(2).job();
        assertNotNull(finished, "the terminal event carries the job");
        assertEquals(job, finished.id());
        assertEquals(owner.id(), finished.tenantId());
        assertEquals("succeeded", finished.status(), "the job is at least as new as its terminal event");
        assertEquals(2L, finished.sequence());

        List<JobViewEvent> resumed = views.eventsAfter(job, read.get(1).id(), 10, owner.id(), JobEventStream.TERMINAL)
                .await().atMost(WAIT);
        assertEquals(List.of(read.get(2).id()), resumed.stream().map(JobViewEvent::id).toList());
        assertNotNull(resumed.get(0).job(), "a resumed read brings the job too");

        List<JobViewEvent> underAnother = views.eventsAfter(job, 0, 10, other.id(), JobEventStream.TERMINAL).await().atMost(WAIT);
        assertEquals(3, underAnother.size());
        assertTrue(underAnother.stream().allMatch(e -> e.job() == null), "another tenant's read never has the job");
    }
}
