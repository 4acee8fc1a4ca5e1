package io.stipple.scheduler.flow;

import static io.stipple.scheduler.fixtures.TestWorkerFixture.PATIENCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.contracts.request.CancelRequested;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.JobStatus;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.contracts.work.ControlAction;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.contracts.work.JobControl;
import io.stipple.scheduler.fixtures.KafkaBus;
import io.stipple.scheduler.fixtures.SchedulerDb;
import io.stipple.scheduler.fixtures.Specs;
import io.stipple.scheduler.fixtures.TestWorkerFixture;
import io.stipple.stack.test.StippleStackResource;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Worker events applied over real Kafka and Postgres: order, duplicates, cancellation, retries. */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class WorkerEventsFlowTest {

    private final KafkaBus bus = KafkaBus.get();
    private final TestWorkerFixture worker = new TestWorkerFixture();

    private GenerationWorkItem submitAndAwaitWork(UUID jobId, String tenant) {
        bus.request(JobSubmitted.of(jobId, tenant, Instant.now(), Specs.generation()));
        return worker.awaitGenerationWork(jobId, 1);
    }

    private JobStatus awaitStatus(UUID jobId, StatusTrigger trigger) {
        return await().atMost(PATIENCE).until(
                () -> bus.statuses(jobId).stream().filter(status -> status.trigger() == trigger).findFirst(),
                java.util.Optional::isPresent).get();
    }

    @Test
    void aJobRunsToSuccessWithOneSnapshotPerChangeInOrder() {
        UUID jobId = UUID.randomUUID();
        GenerationWorkItem work = submitAndAwaitWork(jobId, "tenant-happy");
        worker.running(work, 1);
        worker.progress(work, 2, 5, 10);
        worker.heartbeat(work, 3);
        worker.progress(work, 4, 10, 10);
        worker.succeeded(work, 5);

        JobStatus done = awaitStatus(jobId, StatusTrigger.SUCCEEDED);
        assertEquals(JobState.SUCCEEDED, done.status());
        assertEquals(1, done.outputs().size());
        assertEquals(1, done.attempt());
        assertTrue(done.timestamps().startedAt() != null && done.timestamps().completedAt() != null);
        List<JobStatus> statuses = bus.statuses(jobId);
        assertEquals(List.of(StatusTrigger.QUEUED, StatusTrigger.RUNNING, StatusTrigger.PROGRESS, StatusTrigger.PROGRESS,
                StatusTrigger.SUCCEEDED), statuses.stream().map(JobStatus::trigger).toList(), "no snapshot for a heartbeat");
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), statuses.stream().map(JobStatus::sequence).toList());
    }

    @Test
    void duplicateAndOutOfOrderEventsNeverMoveTheJobBackwards() {
        UUID jobId = UUID.randomUUID();
        GenerationWorkItem work = submitAndAwaitWork(jobId, "tenant-disorder");
        worker.progress(work, 2, 3, 10);   // overtakes "running"
        worker.running(work, 1);           // late: ignored
        worker.succeeded(work, 4);
        worker.succeeded(work, 4);         // duplicate
        worker.progress(work, 3, 9, 10);   // late: ignored
        worker.failed(work, 5, false);     // after the end: ignored

        awaitStatus(jobId, StatusTrigger.SUCCEEDED);
        // The ignored events still republish the current snapshot; wait for all of them.
        List<JobStatus> statuses = await().atMost(PATIENCE).until(() -> bus.statuses(jobId), list -> list.size() >= 7);
        assertEquals("SUCCEEDED", SchedulerDb.status(jobId));
        for (int i = 1; i < statuses.size(); i++) {
            assertTrue(statuses.get(i).sequence() >= statuses.get(i - 1).sequence(), "snapshots went backwards: " + statuses);
        }
        JobStatus last = statuses.get(statuses.size() - 1);
        assertEquals(JobState.SUCCEEDED, last.status());
        assertEquals(3, last.sequence(), "queued, progress, succeeded: nothing else changed the job");
        assertEquals(List.of("queued", "dispatched", "progress", "succeeded"), SchedulerDb.eventTypes(jobId));
    }

    @Test
    void aRunningJobIsCanceledThroughItsWorker() {
        UUID jobId = UUID.randomUUID();
        GenerationWorkItem work = submitAndAwaitWork(jobId, "tenant-cancel-running");
        worker.running(work, 1);
        awaitStatus(jobId, StatusTrigger.RUNNING);

        bus.request(CancelRequested.of(jobId, "tenant-cancel-running", 1, Instant.now(), "no longer needed"));
        JobStatus requested = awaitStatus(jobId, StatusTrigger.CANCEL_REQUESTED);
        assertEquals(JobState.RUNNING, requested.status(), "still running until the worker stops");
        assertTrue(requested.cancelRequested());
        JobControl control = await().atMost(PATIENCE).until(() -> bus.controls(jobId), list -> !list.isEmpty()).get(0);
        assertEquals(ControlAction.CANCEL, control.action());
        assertEquals(1, control.attempt());

        worker.canceled(work, 2);
        JobStatus canceled = awaitStatus(jobId, StatusTrigger.CANCELED);
        assertEquals(JobState.CANCELED, canceled.status());
        assertFalse(canceled.cancelRequested());
        assertEquals("CANCELED", SchedulerDb.status(jobId));
    }

    @Test
    void aRetryableFailureIsDispatchedAgainAsTheNextAttemptAndItsLateEventsAreIgnored() {
        UUID jobId = UUID.randomUUID();
        GenerationWorkItem first = submitAndAwaitWork(jobId, "tenant-retry");
        worker.running(first, 1);
        worker.failed(first, 2, true);
        JobStatus requeued = awaitStatus(jobId, StatusTrigger.REQUEUED);
        assertEquals(JobState.QUEUED, requeued.status());
        assertNull(requeued.error(), "not failed: it will run again");

        GenerationWorkItem second = worker.awaitGenerationWork(jobId, 2);
        worker.succeeded(first, 3);        // the abandoned attempt: ignored
        worker.complete(second);
        JobStatus done = awaitStatus(jobId, StatusTrigger.SUCCEEDED);
        assertEquals(2, done.attempt());
        assertEquals("SUCCEEDED", SchedulerDb.status(jobId));
    }

    @Test
    void aNonRetryableFailureFailsAtOnceWithTheWorkersReason() {
        UUID jobId = UUID.randomUUID();
        GenerationWorkItem work = submitAndAwaitWork(jobId, "tenant-bad-input");
        worker.running(work, 1);
        worker.failed(work, 2, false);
        JobStatus failed = awaitStatus(jobId, StatusTrigger.FAILED);
        assertEquals("fixture failure", failed.error().reason());
        assertFalse(failed.error().retryable());
        assertTrue(bus.deadLetters(jobId).isEmpty(), "nothing was retried, nothing to dead-letter");
    }
}
