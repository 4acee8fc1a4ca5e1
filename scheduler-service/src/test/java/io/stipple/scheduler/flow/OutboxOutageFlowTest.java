package io.stipple.scheduler.flow;

import static io.stipple.scheduler.fixtures.TestWorkerFixture.PATIENCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.stipple.contracts.JobMessage;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.JobStatus;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.scheduler.fixtures.KafkaBus;
import io.stipple.scheduler.fixtures.SchedulerDb;
import io.stipple.scheduler.fixtures.Specs;
import io.stipple.scheduler.fixtures.TestWorkerFixture;
import io.stipple.scheduler.messaging.OutboxRelay;
import io.stipple.scheduler.messaging.WorkerEventWatermark;
import io.stipple.stack.test.StippleStackResource;
import io.stipple.stack.test.TestStack;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 18, finding 4: changes the lease reaper and the dispatcher make while the broker is down are
 * committed with their messages in the outbox and reach Kafka once it is back, each once and in the job's
 * order. Before the outbox, the reaper's and the dispatcher's publish after the commit failed and nothing
 * sent it again: the failed job below stayed "running" in the gateway for good.
 *
 * <p>The test profile's relay timer is hourly, so every round here runs because a commit nudged it, or
 * because the test runs the timed round ({@link OutboxRelay#poll()}) as the timer would.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class OutboxOutageFlowTest {

    private final KafkaBus bus = KafkaBus.get();
    private final TestWorkerFixture worker = new TestWorkerFixture();

    @Inject
    OutboxRelay relay;

    @Inject
    WorkerEventWatermark watermark;

    @Test
    void finalStatesAndWorkDecidedWhileTheBrokerIsDownArriveAfterItReturnsOnceAndInOrder() throws Throwable {
        // Job F: two attempts taken by a worker (max-attempts is 2 in tests); the second goes silent.
        UUID failing = UUID.randomUUID();
        bus.request(JobSubmitted.of(failing, "tenant-outbox", Instant.now(), Specs.generation()));
        worker.running(worker.awaitGenerationWork(failing, 1), 1);
        GenerationWorkItem second = worker.awaitGenerationWork(failing, 2);
        worker.running(second, 1);
        await().atMost(PATIENCE).until(() -> bus.statuses(failing).stream()
                .anyMatch(s -> s.status() == JobState.RUNNING && s.attempt() == 2));
        // Job U: dispatched, never taken; its lease runs out during the outage and it is dispatched again.
        UUID untaken = UUID.randomUUID();
        bus.request(JobSubmitted.of(untaken, "tenant-outbox", Instant.now(), Specs.generation()));
        worker.awaitGenerationWork(untaken, 1);

        // The reaper judges leases only up to where every worker event is applied (WorkerEventWatermark),
        // and does not move that mark while the broker cannot be asked: the workers' heartbeats would not
        // arrive either. So both leases run out, and the mark passes them, before the broker stops; the
        // reaper's round is held at F's row (a transaction of the test) until it has.
        AutoCloseable reapHeld = SchedulerDb.holdJobRow(failing);
        Instant leasesEnd = latest(SchedulerDb.leaseExpiresAt(failing), SchedulerDb.leaseExpiresAt(untaken));
        await().atMost(PATIENCE).until(() -> watermark.appliedUpTo().filter(mark -> !mark.isBefore(leasesEnd)).isPresent());
        TestStack.stop(TestStack.Server.KAFKA);
        try {
            reapHeld.close();
            // The reaper fails F and the dispatcher re-dispatches U, both committed with the broker away.
            await().atMost(PATIENCE).until(() -> "FAILED".equals(SchedulerDb.status(failing)) && SchedulerDb.attempt(untaken) >= 2);
            assertFalse(SchedulerDb.outbox(failing).isEmpty(), "F's final state waits in the outbox");
            assertTrue(SchedulerDb.outbox(untaken).contains("work-generation"), "U's new work item waits in the outbox");
            // A timed round during the outage: it gives up waiting after the send timeout (10 s), with the
            // sends of the earlier rounds still in the producer. It must not add copies of them.
            VertxContextSupport.subscribeAndAwait(() -> relay.poll());
        } finally {
            TestStack.start(TestStack.Server.KAFKA);
        }
        VertxContextSupport.subscribeAndAwait(() -> relay.poll());

        JobStatus failed = await().atMost(PATIENCE).until(() -> bus.statuses(failing).stream()
                .filter(s -> s.trigger() == StatusTrigger.FAILED).findFirst().orElse(null), s -> s != null);
        assertEquals(2, failed.attempt());
        assertEquals(2, await().atMost(PATIENCE).until(() -> bus.deadLetters(failing), l -> !l.isEmpty()).get(0).attempt());
        await().atMost(PATIENCE).until(() -> bus.generationWork(untaken).stream().anyMatch(w -> w.attempt() >= 2));
        await().atMost(PATIENCE).until(() -> SchedulerDb.outbox(failing).isEmpty());

        assertInCommitOrder(bus.statuses(failing));
        assertInCommitOrder(bus.statuses(untaken));
        assertEquals(List.of(1, 2), attempts(bus.generationWork(failing)), "F: one work item per attempt");
        List<Integer> untakenAttempts = attempts(bus.generationWork(untaken));
        assertEquals(untakenAttempts.stream().distinct().sorted().toList(), untakenAttempts,
                "U: one work item per attempt, in order, none sent twice");
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /**
     * Snapshots of one job arrive in the order they were committed (status sequence). A snapshot may come
     * twice in a row: an input the consumer handled but had not committed its offset for before the
     * broker stopped is read again and, ignored, answered with the current snapshot.
     */
    private static void assertInCommitOrder(List<JobStatus> statuses) {
        List<Long> sequences = statuses.stream().map(JobStatus::sequence).toList();
        assertEquals(sequences.stream().sorted().toList(), sequences, "status sequences as published");
    }

    private static List<Integer> attempts(List<? extends JobMessage> items) {
        return items.stream().map(JobMessage::attempt).toList();
    }
}
