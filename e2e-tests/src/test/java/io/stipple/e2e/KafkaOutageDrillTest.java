package io.stipple.e2e;

import io.stipple.e2e.fixtures.ContractTestWorker;
import io.stipple.e2e.fixtures.DrillReport;
import io.stipple.e2e.fixtures.E2eServices;
import io.stipple.e2e.fixtures.GatewayClient;
import io.stipple.e2e.fixtures.JobResults;
import io.stipple.e2e.fixtures.JobTally;
import io.stipple.e2e.fixtures.SchedulerInsertGate;
import io.stipple.stack.test.StippleStackExtension;
import io.stipple.stack.test.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drill (issues 6, 10 and 18): the Kafka broker stops in the middle of a burst of submissions, stays
 * away longer than the consumers' stuck-record limit ({@link E2eServices#UNPROCESSED_RECORD_MAX_AGE},
 * production's 60 s), and restarts on the same ports with the same data. It stops while the scheduler's
 * request consumer holds a submission ({@link SchedulerInsertGate}), whose handling then has to publish
 * with the broker away: that record used to wait for the broker as a hang, past the limit, and SmallRye
 * closed the consumer, so no later submission was ever handled. The gateway keeps answering 202 (job
 * and outbox row in one transaction), its relay publishes the backlog once the broker is back, the
 * scheduler queues and dispatches every job, and the contract test worker completes them: accepted =
 * completed, nothing lost, nothing duplicated.
 *
 * <p>Longer variant, the size (500 submissions while the broker is away longer than a lease):
 * {@code -Dstipple.drill.kafka.jobs=520 -Dstipple.drill.kafka.during=500 -Dstipple.drill.kafka.outage=120} (docs/drills.md).
 */
@ExtendWith(StippleStackExtension.class)
@ExtendWith(PrintLogsOnFailure.class)
class KafkaOutageDrillTest {

    static final int JOBS = Integer.getInteger("stipple.drill.kafka.jobs", 30);
    /** Submissions while the broker is away; the rest are split before (the last one held) and after it. */
    static final int DURING = Integer.getInteger("stipple.drill.kafka.during", JOBS / 3);
    static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("stipple.drill.kafka.outage", 75));

    @Test
    void everyAcceptedJobCompletesOnceAfterTheBrokerReturns() throws Exception {
        E2eServices services = E2eServices.get();
        GatewayClient client = services.client();
        ContractTestWorker.shared();
        assertTrue(OUTAGE.compareTo(E2eServices.UNPROCESSED_RECORD_MAX_AGE.plusSeconds(10)) > 0,
                "the outage must outlast the consumers' stuck-record limit");
        assertTrue(OUTAGE.compareTo(E2eServices.LEASE) > 0, "the outage must outlast the scheduler's lease");
        int beforeOutage = Math.max(1, (JOBS - DURING + 1) / 2);
        int duringOutage = DURING;
        int afterOutage = JOBS - beforeOutage - duringOutage;
        assertTrue(afterOutage >= 0, "stipple.drill.kafka.jobs must be at least stipple.drill.kafka.during + 1");
        List<UUID> accepted = new CopyOnWriteArrayList<>();
        List<String> refused = new CopyOnWriteArrayList<>();

        submit(client, beforeOutage - 1, "before", accepted, refused);
        // The gate blocks every write to the jobs table, not only inserts. A dispatch or status update of
        // an earlier job caught behind it would hold the request consumer (which waits for the dispatch
        // its last record nudged), and the held submission would never reach its insert: so the gate
        // shuts only once the scheduler has nothing left to write for the earlier jobs.
        for (UUID job : accepted) {
            JobResults.awaitSucceeded(client, job.toString(), Duration.ofMinutes(2));
        }
        try (SchedulerInsertGate gate = SchedulerInsertGate.shut(services.stack())) {
            submit(client, 1, "held", accepted, refused);
            gate.awaitHeldInsert(Duration.ofMinutes(2));
            TestStack.stop(TestStack.Server.KAFKA);
        }
        long stoppedAt = System.nanoTime();
        Thread burst = new Thread(() -> submit(client, duringOutage, "during", accepted, refused), "drill-burst");
        burst.start();
        burst.join();
        Duration burstTook = Duration.ofNanos(System.nanoTime() - stoppedAt);
        long remaining = OUTAGE.toMillis() - burstTook.toMillis();
        if (remaining > 0) {
            Thread.sleep(remaining);
        }
        Duration outage = Duration.ofNanos(System.nanoTime() - stoppedAt);
        TestStack.start(TestStack.Server.KAFKA);
        submit(client, afterOutage, "after", accepted, refused);

        ContractTestWorker worker = ContractTestWorker.shared();
        DrillReport report = JobTally.tally("kafka-broker-restart", client, accepted, Duration.ofMinutes(4).plusSeconds(JOBS),
                "before/during/after=" + beforeOutage + "/" + duringOutage + "/" + afterOutage + ", outage="
                        + outage.toSeconds() + "s (burst " + burstTook.toSeconds() + "s), lease=" + E2eServices.LEASE.toSeconds()
                        + "s, consumer limit=" + E2eServices.UNPROCESSED_RECORD_MAX_AGE.toSeconds() + "s, refused=" + refused.size()
                        + ", worker redeliveries=" + worker.redeliveries() + ", expired items dropped=" + worker.expired()).print();
        assertEquals(List.of(), refused, "the gateway must accept submissions while Kafka is away");
        assertEquals(JOBS, report.accepted());
        assertEquals(0, report.lost(), report.line());
        assertEquals(0, report.duplicated(), report.line());
        assertEquals(report.accepted(), report.completed(), report.line());
    }

    private static void submit(GatewayClient client, int count, String phase, List<UUID> accepted, List<String> refused) {
        for (int i = 0; i < count; i++) {
            GatewayClient.Answer answer = client.submitGeneration(
                    "{\"prompt\": \"drill %s %d: a red circle\", \"seed\": %d}".formatted(phase, i, i));
            if (answer.status() == 202) {
                accepted.add(UUID.fromString(answer.json().path("id").asText()));
            } else {
                refused.add(answer.status() + " " + answer.body());
            }
        }
    }
}
