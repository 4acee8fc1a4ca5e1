package io.stipple.scheduler.flow;

import static io.stipple.scheduler.fixtures.TestWorkerFixture.PATIENCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.scheduler.config.SchedulerConfig;
import io.stipple.scheduler.fixtures.KafkaBus;
import io.stipple.scheduler.fixtures.SchedulerDb;
import io.stipple.scheduler.fixtures.Specs;
import io.stipple.scheduler.fixtures.TestWorkerFixture;
import io.stipple.scheduler.service.Dispatcher;
import io.stipple.stack.test.StippleStackResource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A backlog larger than one dispatch transaction's batch goes out in several batches, one right after the
 * other, with no timed round (the test profile's is hourly) and no further nudge: every job once, attempt 1,
 * and no transaction with more jobs than the batch size (the test profile's is small).
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class DispatchBatchesTest {

    private final KafkaBus bus = KafkaBus.get();
    private final TestWorkerFixture worker = new TestWorkerFixture();

    @Inject
    Dispatcher dispatcher;

    @Inject
    SchedulerConfig config;

    @Test
    void aBacklogOfSeveralBatchesIsDispatchedByOneDispatch() throws Throwable {
        int batchSize = config.dispatch().batchSize();
        List<UUID> jobs = IntStream.range(0, 3 * batchSize + 1).mapToObj(i -> UUID.randomUUID()).toList();
        // Queued while the lock is held, so their nudges dispatch nothing: the backlog waits for one dispatch.
        try (AutoCloseable lock = SchedulerDb.holdDispatchLock(JobKind.GENERATION)) {
            jobs.forEach(id -> bus.request(JobSubmitted.of(id, "tenant-batches", Instant.now(), Specs.generation())));
            await().atMost(PATIENCE).until(() -> jobs.stream().allMatch(id -> "QUEUED".equals(SchedulerDb.status(id))));
            assertTrue(jobs.stream().allMatch(id -> SchedulerDb.attempt(id) == 0), "dispatched although the lock was held");
        }

        VertxContextSupport.subscribeAndAwait(() -> dispatcher.dispatch(JobKind.GENERATION));

        // None completed before all are out: a finished job's nudge would dispatch the rest if the batches stopped.
        List<GenerationWorkItem> work = jobs.stream().map(id -> worker.awaitGenerationWork(id, 1)).toList();
        for (UUID id : jobs) {
            assertEquals(1, SchedulerDb.attempt(id));
            assertEquals(1, SchedulerDb.dispatchTimes(id).size(), "job " + id + " dispatched more than once");
        }
        Map<String, Long> jobsPerTransaction = jobs.stream().map(id -> SchedulerDb.dispatchTimes(id).get(0))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertTrue(jobsPerTransaction.values().stream().allMatch(n -> n <= batchSize),
                "a dispatch transaction took more than " + batchSize + " jobs: " + jobsPerTransaction.values());
        assertTrue(jobsPerTransaction.size() >= 4, "the backlog went out in " + jobsPerTransaction.size() + " batches");
        work.forEach(worker::complete);
        for (UUID id : jobs) {
            await().atMost(PATIENCE).until(() -> "SUCCEEDED".equals(SchedulerDb.status(id)));
        }
    }
}
