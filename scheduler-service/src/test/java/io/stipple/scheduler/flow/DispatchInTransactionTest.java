package io.stipple.scheduler.flow;

import static io.stipple.scheduler.fixtures.TestWorkerFixture.PATIENCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.vertx.VertxContextSupport;
import io.stipple.contracts.Topics;
import io.stipple.contracts.request.CancelRequested;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.spec.JobKind;
import io.stipple.scheduler.fixtures.KafkaBus;
import io.stipple.scheduler.fixtures.SchedulerDb;
import io.stipple.scheduler.fixtures.Specs;
import io.stipple.scheduler.fixtures.TestWorkerFixture;
import io.stipple.scheduler.service.Dispatcher;
import io.stipple.stack.test.StippleStackResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A consumer's batch dispatches what it unblocked in its own transaction when the dispatch is free: a lone job
 * is queued and dispatched by one commit. It never waits for anybody there (a row another transaction holds is
 * left to a dispatch run), and it fills slots exactly as a run does, so the two together never over-commit them.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DispatchInTransactionTest {

    /** Assigned to pool {@value #POOL} (2 slots, no worker consumes it) by the test profile. */
    private static final String POOLED_TENANT = "tenant-inline-pool";
    private static final String POOL = "inline-pool";
    /** The {@code @Scheduled} identity of {@code LeaseReaper#reapExpired}. */
    private static final String LEASE_REAPER = "lease-reaper";

    private final KafkaBus bus = KafkaBus.get();
    private final TestWorkerFixture worker = new TestWorkerFixture();

    @Inject
    Dispatcher dispatcher;

    @Inject
    Scheduler scheduler;

    /**
     * Needs the dispatch of generation work free when the job's batch runs, or the batch rightly leaves the job to
     * the run in progress. Runs first in this class (the others leave cancels in flight and leases that run out),
     * with the lease reaper paused (another class's lease running out would start a run) and after every run this
     * process started has ended; the timed round is hourly in tests.
     */
    @Test
    @Order(1)
    void aLoneJobOnAFreeSlotIsQueuedAndDispatchedInOneTransaction() {
        scheduler.pause(LEASE_REAPER);
        try {
            await().atMost(PATIENCE).until(() -> dispatcher.idle(JobKind.GENERATION));
            UUID id = UUID.randomUUID();
            bus.request(JobSubmitted.of(id, "tenant-inline", Instant.now(), Specs.generation()));

            worker.complete(worker.awaitGenerationWork(id, 1));
            await().atMost(PATIENCE).until(() -> "SUCCEEDED".equals(SchedulerDb.status(id)));
            assertEquals(List.of("queued", "dispatched"), SchedulerDb.eventTypes(id).subList(0, 2));
            List<String> transactions = SchedulerDb.eventTransactions(id);
            assertEquals(transactions.get(0), transactions.get(1), "queued and dispatched by two transactions");
        } finally {
            scheduler.resume(LEASE_REAPER);
        }
    }

    @Test
    void aBatchDoesNotWaitForAChosenRowThatAnotherTransactionHolds() throws Exception {
        UUID older = UUID.randomUUID();
        AutoCloseable heldRow;
        try (AutoCloseable lock = SchedulerDb.holdDispatchLock(JobKind.GENERATION)) {
            bus.request(JobSubmitted.of(older, "tenant-inline-held", Instant.now(), Specs.generation()));
            await().atMost(PATIENCE).until(() -> "QUEUED".equals(SchedulerDb.status(older)));
            // Held before the lock is let go, so that no dispatch can take the job in between.
            heldRow = SchedulerDb.holdJobRow(older);
        }
        assertEquals(0, SchedulerDb.attempt(older), "dispatched although the lock was held");

        UUID newer = UUID.randomUUID();
        try (heldRow) {
            bus.request(JobSubmitted.of(newer, "tenant-inline-held", Instant.now(), Specs.generation()));
            // The newer job's batch commits while the older job's row is held: had it waited for the row (its planner
            // chooses the older job first), its transaction could not end before the row is free. Whether the newer
            // job also went out in it depends on whether a dispatch run (say, after another class's lease ran out)
            // was in progress: that run waits for the held row, and the batch then leaves the kind to it.
            await().atMost(PATIENCE).until(() -> SchedulerDb.status(newer) != null);
            assertEquals(0, SchedulerDb.attempt(older), "a held row was dispatched");
        }
        // The batch asked for a run after its commit (or one was running); it waited for the row and dispatches now.
        for (UUID id : List.of(older, newer)) {
            worker.complete(worker.awaitGenerationWork(id, 1));
            await().atMost(PATIENCE).until(() -> "SUCCEEDED".equals(SchedulerDb.status(id)));
            assertEquals(1, SchedulerDb.dispatchTimes(id).size(), "job " + id + " dispatched more than once");
        }
    }

    @Test
    void consumersAndRunsDispatchingTogetherNeverOverCommitAPoolsSlots() throws Throwable {
        bus.createTopic(Topics.generationPool(POOL));
        List<UUID> jobs = IntStream.range(0, 8).mapToObj(i -> UUID.randomUUID()).toList();
        // Different keys, so different partitions and consumers: batches dispatching beside each other and beside
        // the runs started below.
        jobs.forEach(id -> bus.request(JobSubmitted.of(id, POOLED_TENANT, Instant.now(), Specs.generation())));
        Instant until = Instant.now().plus(Duration.ofSeconds(5));
        int mostLeased = 0;
        while (Instant.now().isBefore(until)) {
            VertxContextSupport.subscribeAndAwait(() -> dispatcher.dispatch(JobKind.GENERATION));
            mostLeased = Math.max(mostLeased, SchedulerDb.leased(POOLED_TENANT));
        }
        await().atMost(PATIENCE).until(() -> jobs.stream().allMatch(id -> SchedulerDb.status(id) != null));
        int leased = SchedulerDb.leased(POOLED_TENANT);
        assertTrue(mostLeased <= 2 && leased <= 2, Math.max(mostLeased, leased) + " of the pool's jobs held a lease, more than its 2 slots");
        await().atMost(PATIENCE).until(() -> SchedulerDb.leased(POOLED_TENANT) == 2);

        // Ends them: the waiting ones at once, the leased ones when their leases run out.
        jobs.forEach(id -> bus.request(CancelRequested.of(id, POOLED_TENANT, 1, Instant.now(), "test over")));
    }
}
