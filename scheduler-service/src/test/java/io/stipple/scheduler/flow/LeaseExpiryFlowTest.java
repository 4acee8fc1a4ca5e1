package io.stipple.scheduler.flow;

import static io.stipple.scheduler.fixtures.TestWorkerFixture.PATIENCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.JobStatus;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.scheduler.fixtures.KafkaBus;
import io.stipple.scheduler.fixtures.SchedulerDb;
import io.stipple.scheduler.fixtures.Specs;
import io.stipple.scheduler.fixtures.TestWorkerFixture;
import io.stipple.stack.test.StippleStackResource;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A worker that goes silent loses its lease: the job is re-queued, then failed and dead-lettered (2 attempts in tests). */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LeaseExpiryFlowTest {

    private final KafkaBus bus = KafkaBus.get();
    private final TestWorkerFixture worker = new TestWorkerFixture();

    @Test
    void silentAttemptsAreRequeuedThenTheJobFailsAndItsWorkIsDeadLettered() {
        UUID jobId = UUID.randomUUID();
        bus.request(JobSubmitted.of(jobId, "tenant-silent", Instant.now(), Specs.generation()));
        GenerationWorkItem first = worker.awaitGenerationWork(jobId, 1);
        worker.running(first, 1);
        // ...and then nothing: the worker "crashed".

        GenerationWorkItem second = worker.awaitGenerationWork(jobId, 2);
        assertTrue(bus.statuses(jobId).stream().anyMatch(s -> s.trigger() == StatusTrigger.REQUEUED));
        assertEquals(1, await().atMost(PATIENCE).until(() -> bus.controls(jobId), list -> !list.isEmpty()).get(0).attempt(),
                "the lost attempt's worker is told to stop, should it come back");
        worker.heartbeat(second, 1);
        // The second attempt is taken, and then nothing again.

        JobStatus failed = await().atMost(PATIENCE).until(() -> bus.statuses(jobId).stream()
                .filter(s -> s.trigger() == StatusTrigger.FAILED).findFirst(), Optional::isPresent).get();
        assertEquals(JobState.FAILED, failed.status());
        assertEquals(2, failed.attempt());
        assertEquals("lease of attempt 2 expired (worker test-worker-fixture) on the last of 2 attempts",
                failed.error().reason());
        List<GenerationWorkItem> deadLetters = await().atMost(PATIENCE).until(() -> bus.deadLetters(jobId), l -> !l.isEmpty());
        assertEquals(2, deadLetters.get(0).attempt());
        assertEquals(second.spec(), deadLetters.get(0).spec());
        assertEquals("FAILED", SchedulerDb.status(jobId));

        worker.succeeded(second, 2);   // too late: the job stays failed
        await().atMost(PATIENCE).until(() -> bus.statuses(jobId).size() > bus.statuses(jobId).indexOf(failed) + 1);
        assertEquals("FAILED", SchedulerDb.status(jobId));
    }
}
