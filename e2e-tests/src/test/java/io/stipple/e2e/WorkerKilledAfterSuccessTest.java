package io.stipple.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.contracts.Topics;
import io.stipple.contracts.event.JobEvent;
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.e2e.fixtures.GatewayClient;
import io.stipple.e2e.fixtures.GpuWorkers;
import io.stipple.e2e.fixtures.JobResults;
import io.stipple.e2e.fixtures.RunningJobs;
import io.stipple.e2e.fixtures.SucceededAttempts;
import io.stipple.stack.test.StippleStackExtension;
import io.stipple.stack.test.TestStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A gpu-worker killed (SIGKILL) right after it reported a job's success: the next worker must not run
 * that job again. A worker takes a work item by committing its offset; were the commit still to come
 * when the process died, Kafka would hand the item to the next worker, which would run the finished
 * attempt a second time (with SmallRye's 5 s "throttled" commits a fresh-clone CI run of
 * {@link WorkerKillDrillTest} had a job succeed twice on attempt 1). The job's end is now reported only
 * after the commit (job-runtime's {@code ReceiptCommit}, {@code JobReporter}).
 */
@ExtendWith(StippleStackExtension.class)
@ExtendWith(PrintLogsOnFailure.class)
class WorkerKilledAfterSuccessTest {

    private static final Duration PATIENCE = Duration.ofMinutes(4);
    private static final String WORKER_GROUP = "stipple-gpu-worker";

    @Test
    void aJobWhoseWorkerDiedRightAfterItsSuccessIsNotRunAgainByTheNextWorker() throws Exception {
        GpuWorkers workers = GpuWorkers.get();
        GatewayClient client = workers.client();
        String bootstrap = TestStack.endpoints().kafkaBootstrap();
        String killed = workers.current().name();
        // A warm worker first (its model loaded): the job below then ends within about a second of being taken,
        // where 5 s commits would still be pending, rather than in the 5-10 s a cold start takes under load.
        JobResults.awaitSucceeded(client, JobResults.submit(client,
                "{\"prompt\": \"warm-up: a green triangle\", \"steps\": 4, \"seed\": 10}"), PATIENCE);
        UUID finished;
        try (RunningJobs events = new RunningJobs(bootstrap)) {
            finished = UUID.fromString(JobResults.submit(client,
                    "{\"prompt\": \"killed after success: a blue square\", \"steps\": 4, \"seed\": 11}"));
            Optional<JobEvent> success = events.awaitEvent(
                    event -> event instanceof JobSucceeded && event.jobId().equals(finished), PATIENCE);
            assertTrue(success.isPresent(), "job " + finished + " did not succeed");
            workers.kill(); // at once: seconds after the worker took the item, well inside 5 s
        }
        String next = workers.start().name();
        // A job after the restart, so the new worker is certainly reading the work topic ...
        String after = JobResults.submit(client, "{\"prompt\": \"after the restart: a red circle\", \"steps\": 4, \"seed\": 12}");
        JobResults.awaitSucceeded(client, after, PATIENCE);
        // ... and has taken every item there is: had the finished job's item been left uncommitted, the new worker
        // would have held it by now (and heartbeated it at once).
        awaitWorkersConsumedEverything(bootstrap);

        List<JobEvent> eventsOfFinished = SucceededAttempts.events(bootstrap, List.of(finished)).get(finished);
        Map<String, Long> byWorker = eventsOfFinished.stream()
                .collect(Collectors.groupingBy(JobEvent::workerId, Collectors.counting()));
        assertEquals(List.of(killed), List.copyOf(byWorker.keySet()),
                "events of job " + finished + " by worker (killed " + killed + ", next " + next + "): " + byWorker);
        assertEquals(1, eventsOfFinished.stream().filter(JobSucceeded.class::isInstance).count(),
                "successes of job " + finished + ": " + eventsOfFinished);
        assertEquals("succeeded", JobResults.job(client, finished.toString()).path("status").asText());
    }

    /** Until the worker group's committed offsets on the generation work topic are its end offsets. */
    private static void awaitWorkersConsumedEverything(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            await("the workers consume the work topic to its end").atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(WORKER_GROUP)
                                .partitionsToOffsetAndMetadata().get();
                        List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.WORK_GENERATION))
                                .allTopicNames().get().get(Topics.WORK_GENERATION).partitions().stream()
                                .map(info -> new TopicPartition(Topics.WORK_GENERATION, info.partition())).toList();
                        var ends = admin.listOffsets(partitions.stream()
                                .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()))).all().get();
                        boolean caughtUp = partitions.stream().allMatch(partition -> ends.get(partition).offset() == 0
                                || committed.containsKey(partition)
                                        && committed.get(partition).offset() >= ends.get(partition).offset());
                        assertTrue(caughtUp, "committed " + committed + ", ends " + ends);
                    });
        }
    }
}
