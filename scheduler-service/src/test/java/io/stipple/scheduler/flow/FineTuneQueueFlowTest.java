package io.stipple.scheduler.flow;

import static io.stipple.scheduler.fixtures.TestWorkerFixture.PATIENCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.contracts.request.CancelRequested;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.spec.FineTuneSpec;
import io.stipple.contracts.spec.Priority;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.contracts.work.FineTuneWorkItem;
import io.stipple.scheduler.fixtures.KafkaBus;
import io.stipple.scheduler.fixtures.SchedulerDb;
import io.stipple.scheduler.fixtures.Specs;
import io.stipple.scheduler.fixtures.TestWorkerFixture;
import io.stipple.stack.test.StippleStackResource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Metered dispatch over the real stack, with fine-tunes (one slot in the test configuration): while the
 * slot is taken jobs wait in Postgres; when it frees, the high-priority job goes first, then tenants
 * take turns whatever their backlog. A waiting job is canceled at once, without its worker.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class FineTuneQueueFlowTest {

    private final KafkaBus bus = KafkaBus.get();
    private final TestWorkerFixture worker = new TestWorkerFixture();

    private UUID submitQueued(String tenant, Priority priority) {
        UUID jobId = UUID.randomUUID();
        FineTuneSpec base = Specs.fineTune();
        FineTuneSpec spec = new FineTuneSpec(base.baseModel(), base.instanceUploadId(), base.identifierToken(),
                base.classNoun(), base.priorPreservation(), base.steps(), base.learningRate(), base.batchSize(), base.seed(),
                base.trainTextEncoder(), base.method(), base.loraRank(), base.outputModelName(), priority, null);
        bus.request(JobSubmitted.of(jobId, tenant, Instant.now(), spec));
        // Submitting one at a time keeps the queue order the order written here.
        await().atMost(PATIENCE).until(() -> !bus.statuses(jobId).isEmpty());
        return jobId;
    }

    @Test
    void oneSlotServesPriorityFirstThenTenantsInTurnAndAWaitingJobCancelsAtOnce() {
        UUID blocker = submitQueued("tenant-z", Priority.NORMAL);
        FineTuneWorkItem blockerWork = worker.awaitFineTuneWork(blocker, 1);

        Map<UUID, String> waiting = new LinkedHashMap<>();
        for (String name : List.of("a1", "a2", "a3")) {
            waiting.put(submitQueued("tenant-a", Priority.NORMAL), name);
        }
        waiting.put(submitQueued("tenant-b", Priority.NORMAL), "b1");
        UUID doomed = submitQueued("tenant-x", Priority.NORMAL);
        waiting.put(submitQueued("tenant-c", Priority.HIGH), "h1");

        bus.request(CancelRequested.of(doomed, "tenant-x", 1, Instant.now(), "never mind"));
        await().atMost(PATIENCE).until(() -> bus.statuses(doomed).stream().anyMatch(s -> s.trigger() == StatusTrigger.CANCELED));
        assertTrue(bus.controls(doomed).isEmpty(), "no worker held it, none was told");
        for (UUID jobId : waiting.keySet()) {
            assertTrue(bus.fineTuneWork(jobId).isEmpty(), "dispatched while the only slot was taken: " + waiting.get(jobId));
        }

        worker.complete(blockerWork);
        List<String> served = new ArrayList<>();
        while (served.size() < waiting.size()) {
            FineTuneWorkItem next = await().atMost(PATIENCE).until(() -> waiting.keySet().stream()
                    .filter(jobId -> !served.contains(waiting.get(jobId)))
                    .flatMap(jobId -> bus.fineTuneWork(jobId).stream())
                    .findFirst(), Optional::isPresent).get();
            served.add(waiting.get(next.jobId()));
            assertEquals("models/my-star/" + next.jobId() + "/", next.outputPrefix());
            worker.complete(next);
            await().atMost(PATIENCE).until(() -> "SUCCEEDED".equals(SchedulerDb.status(next.jobId())));
        }
        assertEquals(List.of("h1", "a1", "b1", "a2", "a3"), served);
        assertTrue(bus.fineTuneWork(doomed).isEmpty());
        assertEquals("CANCELED", SchedulerDb.status(doomed));
    }
}
