package io.stipple.scheduler.flow;

import static io.stipple.scheduler.fixtures.TestWorkerFixture.PATIENCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.Topics;
import io.stipple.contracts.request.CancelRequested;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.scheduler.fixtures.KafkaBus;
import io.stipple.scheduler.fixtures.SchedulerDb;
import io.stipple.scheduler.fixtures.Specs;
import io.stipple.scheduler.fixtures.TestWorkerFixture;
import io.stipple.stack.test.StippleStackResource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A worker pool's jobs use the pool's own dispatch slots. The test profile assigns
 * {@value #POOLED_TENANT} to pool {@value #POOL} (2 slots, no worker ever consumes it), and the
 * shared generation topic has 50.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class WorkerPoolSlotsTest {

    static final String POOLED_TENANT = "tenant-idle-pool";
    static final String POOL = "idle-pool";

    private final KafkaBus bus = KafkaBus.get();
    private final TestWorkerFixture worker = new TestWorkerFixture();

    @Test
    void aPoolWithoutWorkersFillsOnlyItsOwnSlotsAndTheSharedTopicStillDispatches() {
        bus.createTopic(Topics.generationPool(POOL));
        List<UUID> pooled = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        pooled.forEach(id -> bus.request(JobSubmitted.of(id, POOLED_TENANT, Instant.now(), Specs.generation())));
        UUID shared = UUID.randomUUID();
        // Under the last pooled job's key, so in its partition: handled after it, its dispatch nudge included.
        bus.rawRequest(pooled.get(2).toString(), new String(ContractsJson.write(
                JobSubmitted.of(shared, "tenant-shared", Instant.now(), Specs.generation())), StandardCharsets.UTF_8));

        worker.complete(worker.awaitGenerationWork(shared, 1));
        await().atMost(PATIENCE).until(() -> "SUCCEEDED".equals(SchedulerDb.status(shared)));

        // No worker takes the pool's items, so their leases run out and re-queue them (without using an
        // attempt) for as long as the test runs; at no moment do they hold more than the pool's 2 slots.
        int leased = SchedulerDb.leased(POOLED_TENANT);
        assertTrue(leased <= 2, leased + " of the pool's jobs hold a lease, more than its 2 slots");
        assertTrue(bus.generationWork(pooled.get(0)).isEmpty(), "a pooled job went to the shared topic");
        await().atMost(PATIENCE).until(() -> SchedulerDb.leased(POOLED_TENANT) == 2);

        // Ends them: the waiting one at once, the leased ones when their leases run out.
        pooled.forEach(id -> bus.request(CancelRequested.of(id, POOLED_TENANT, 1, Instant.now(), "test over")));
    }
}
