package io.stipple.scheduler.flow;

import static io.stipple.scheduler.fixtures.TestWorkerFixture.PATIENCE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.contracts.JobMessage;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.StatusTrigger;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.scheduler.config.SchedulerConfig;
import io.stipple.scheduler.fixtures.KafkaBus;
import io.stipple.scheduler.fixtures.SchedulerDb;
import io.stipple.scheduler.fixtures.Specs;
import io.stipple.scheduler.fixtures.TestWorkerFixture;
import io.stipple.stack.test.StippleStackResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: a lease is expired only once the worker events written before it ran out are applied. In the
 * 500-submission broker drill the event consumer fell about a lease behind; the reaper, judging by the
 * clock, gave up attempts whose workers had taken them and already succeeded, and 141 of 520 jobs ran
 * again. Here one partition's consumer is held up by a row lock (a transaction of the test), the job's
 * {@code running} waits behind it while its lease runs out: no reap. Once the consumer catches up, the
 * job's lease is judged again, and a worker that then goes silent loses it as ever.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LeaseReaperBacklogFlowTest {

    private static final String TENANT = "tenant-backlog";
    /** How long past its end the lease is watched: a dozen rounds of the test profile's reaper (500 ms). */
    private static final Duration ROUNDS = Duration.ofSeconds(6);

    private final KafkaBus bus = KafkaBus.get();
    private final TestWorkerFixture worker = new TestWorkerFixture();

    @Inject
    SchedulerConfig config;

    @Test
    void aLeaseRenewedByAnEventStillInTheConsumerIsNotExpired() throws Exception {
        // B: finished. A late event of B waits for B's row, which the test holds, and its partition waits behind it.
        UUID blocker = UUID.randomUUID();
        bus.request(JobSubmitted.of(blocker, TENANT, Instant.now(), Specs.generation()));
        GenerationWorkItem blockerItem = worker.awaitGenerationWork(blocker, 1);
        worker.complete(blockerItem);
        await().atMost(PATIENCE).until(() -> "SUCCEEDED".equals(SchedulerDb.status(blocker)));

        // A: its events go to B's partition.
        UUID job = idOnEventPartition(bus.eventPartition(blocker));
        bus.request(JobSubmitted.of(job, TENANT, Instant.now(), Specs.generation()));
        GenerationWorkItem first = worker.awaitGenerationWork(job, 1);
        Instant leaseRunsOutBy = Instant.now().plus(config.lease().duration());

        try (AutoCloseable held = SchedulerDb.holdJobRow(blocker)) {
            worker.heartbeat(blockerItem, 4);
            worker.running(first, 1);   // A's worker took it at once; the scheduler has not read that yet
            List<String> eventsBefore = SchedulerDb.eventTypes(job);
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), leaseRunsOutBy.plus(ROUNDS)).toMillis()));

            assertEquals(1, SchedulerDb.attempt(job), "A's first attempt keeps its lease: its running event is unread");
            assertEquals(eventsBefore, SchedulerDb.eventTypes(job), "nothing happened to A while its events waited");
            assertEquals(List.of(1), attempts(bus.generationWork(job)), "A was not dispatched again");
        }

        // Caught up: A's running is applied, and its lease renewed from then on.
        await().atMost(PATIENCE).until(() -> bus.statuses(job).stream()
                .anyMatch(s -> s.status() == JobState.RUNNING && s.attempt() == 1));
        // Then A's worker goes silent, and the reaper, with nothing left unread, gives up its attempt.
        worker.awaitGenerationWork(job, 2);
        assertEquals(List.of(1, 2), attempts(bus.generationWork(job)));
        await().atMost(PATIENCE).until(() -> bus.statuses(job).stream().anyMatch(s -> s.trigger() == StatusTrigger.REQUEUED));
    }

    /** A fresh job id whose events Kafka puts on the given partition. */
    private UUID idOnEventPartition(int partition) {
        while (true) {
            UUID id = UUID.randomUUID();
            if (bus.eventPartition(id) == partition) {
                return id;
            }
        }
    }

    private static List<Integer> attempts(List<? extends JobMessage> items) {
        return items.stream().map(JobMessage::attempt).toList();
    }
}
