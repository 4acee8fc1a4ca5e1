package io.stipple.scheduler.flow;

import static io.restassured.RestAssured.given;
import static io.stipple.scheduler.fixtures.TestWorkerFixture.PATIENCE;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.spec.Priority;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.JobStatus;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.scheduler.fixtures.KafkaBus;
import io.stipple.scheduler.fixtures.SchedulerDb;
import io.stipple.scheduler.fixtures.Specs;
import io.stipple.scheduler.fixtures.TestWorkerFixture;
import io.stipple.stack.test.StippleStackResource;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A submission on real Kafka becomes a queued job in Postgres, a status snapshot, and a work item. */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SubmissionFlowTest {

    private final KafkaBus bus = KafkaBus.get();
    private final TestWorkerFixture worker = new TestWorkerFixture();
    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @Test
    void aSubmissionIsQueuedPublishedAndDispatched() {
        UUID jobId = UUID.randomUUID();
        Instant accepted = Instant.parse("2026-11-21T20:00:00Z");
        bus.request(JobSubmitted.of(jobId, "tenant-submit", accepted, Specs.generation(Priority.HIGH, 2, null)));

        JobStatus queued = await().atMost(PATIENCE).until(() -> bus.statuses(jobId), list -> !list.isEmpty()).get(0);
        assertEquals(JobState.QUEUED, queued.status());
        assertEquals(StatusTrigger.QUEUED, queued.trigger());
        assertEquals(1, queued.sequence());
        assertEquals(0, queued.attempt());
        assertEquals("tenant-submit", queued.tenantId());
        assertEquals(accepted, queued.timestamps().submittedAt());
        assertNotNull(queued.timestamps().queuedAt());

        GenerationWorkItem work = worker.awaitGenerationWork(jobId, 1);
        assertEquals("a red star", work.spec().prompt());
        assertEquals(2, work.spec().numImages());
        assertEquals("results/tenant-submit/" + jobId + "/", work.outputPrefix());
        assertTrue(work.leaseExpiresAt().isAfter(work.timestamp()));

        assertEquals("QUEUED", SchedulerDb.status(jobId), "dispatched, still queued until a worker starts it");
        assertEquals(1, SchedulerDb.attempt(jobId));
        assertEquals(List.of("queued", "dispatched"), SchedulerDb.eventTypes(jobId));
        worker.complete(work);
        await().atMost(PATIENCE).until(() -> "SUCCEEDED".equals(SchedulerDb.status(jobId)));
        // The dashboard's job latency: submission to terminal state, with histogram buckets.
        given().when().get(metrics).then().statusCode(200)
                .body(containsString("stipple_scheduler_job_duration_seconds_bucket{kind=\"generation\",outcome=\"succeeded\""));
    }

    @Test
    void theSubmissionsTraceContinuesOnItsSnapshotsAndOnTheWorkItemTheDispatchLoopSends() {
        UUID jobId = UUID.randomUUID();
        String traceId = "5e1f0c2a9b3d4e6f8a7b6c5d4e3f2a1b";
        bus.requestInTrace(JobSubmitted.of(jobId, "tenant-traced", Instant.now(), Specs.generation()),
                "00-" + traceId + "-1a2b3c4d5e6f7a8b-01");
        GenerationWorkItem work = worker.awaitGenerationWork(jobId, 1);
        worker.complete(work);
        await().atMost(PATIENCE).until(() -> "SUCCEEDED".equals(SchedulerDb.status(jobId)));
        List<String> traceParents = await().atMost(PATIENCE).until(() -> bus.traceParents(jobId), list -> list.size() >= 4);

        for (String traceParent : traceParents) {
            assertNotNull(traceParent, () -> "a message of the job left its trace: " + traceParents);
            assertEquals(traceId, traceParent.split("-")[1], () -> "a message of the job left its trace: " + traceParents);
        }
    }

    @Test
    void aRedeliveredSubmissionRepublishesTheSnapshotAndDispatchesNothingNew() {
        UUID jobId = UUID.randomUUID();
        JobSubmitted submitted = JobSubmitted.of(jobId, "tenant-dup", Instant.now(), Specs.generation());
        bus.request(submitted);
        GenerationWorkItem work = worker.awaitGenerationWork(jobId, 1);

        bus.request(submitted);
        List<JobStatus> statuses = await().atMost(PATIENCE).until(() -> bus.statuses(jobId), list -> list.size() >= 2);
        assertEquals(statuses.get(0), statuses.get(1), "the same snapshot again, not a new change");
        worker.complete(work);
        await().atMost(PATIENCE).until(() -> "SUCCEEDED".equals(SchedulerDb.status(jobId)));
        assertEquals(1, bus.generationWork(jobId).size(), "one work item only");
        assertEquals(List.of("queued", "dispatched", "running", "progress", "succeeded"), SchedulerDb.eventTypes(jobId));
    }

    @Test
    void anUnreadableRequestIsSkippedAndTheNextOneStillHandled() {
        UUID fromTheFuture = UUID.randomUUID();
        String newerMajor = new String(ContractsJson.write(JobSubmitted.of(fromTheFuture, "tenant-future", Instant.now(),
                Specs.generation())), StandardCharsets.UTF_8)
                .replace("\"schema_version\":\"" + SchemaVersion.CURRENT + "\"", "\"schema_version\":\"2.0\"");
        assertTrue(newerMajor.contains("\"2.0\""), newerMajor);
        bus.rawRequest(fromTheFuture.toString(), newerMajor);
        bus.rawRequest(UUID.randomUUID().toString(), "not json at all");
        UUID jobId = UUID.randomUUID();
        bus.request(JobSubmitted.of(jobId, "tenant-after-poison", Instant.now(), Specs.generation()));
        GenerationWorkItem work = worker.awaitGenerationWork(jobId, 1);
        worker.complete(work);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> "SUCCEEDED".equals(SchedulerDb.status(jobId)));
        assertNull(SchedulerDb.status(fromTheFuture), "a message this build cannot understand is not misread");
    }
}
