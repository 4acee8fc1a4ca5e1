package io.stipple.e2e;

import io.stipple.e2e.fixtures.ContractTestWorker;
import io.stipple.e2e.fixtures.DrillReport;
import io.stipple.e2e.fixtures.E2eServices;
import io.stipple.e2e.fixtures.GatewayClient;
import io.stipple.e2e.fixtures.JobTally;
import io.stipple.stack.test.StippleStackExtension;
import io.stipple.stack.test.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Drill (issues 6 and 10): the Kafka broker stops in the middle of a burst of submissions and
 * restarts on the same ports with the same data. The gateway keeps answering 202 (job and outbox
 * row in one transaction), its relay publishes the backlog once the broker is back, the scheduler
 * queues and dispatches every job, and the contract test worker completes them: accepted =
 * completed, nothing lost, nothing duplicated.
 *
 * <p>Longer variant: {@code -Dstipple.drill.kafka.jobs=400 -Dstipple.drill.kafka.outage=120} (docs/drills.md).
 */
@ExtendWith(StippleStackExtension.class)
@ExtendWith(PrintLogsOnFailure.class)
class KafkaOutageDrillTest {

    static final int JOBS = Integer.getInteger("stipple.drill.kafka.jobs", 30);
    static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("stipple.drill.kafka.outage", 10));

    @Test
    void everyAcceptedJobCompletesOnceAfterTheBrokerReturns() throws Exception {
        GatewayClient client = E2eServices.get().client();
        ContractTestWorker.shared();
        List<UUID> accepted = new CopyOnWriteArrayList<>();
        List<String> refused = new CopyOnWriteArrayList<>();
        int beforeOutage = JOBS / 3;
        int duringOutage = JOBS / 3;

        submit(client, beforeOutage, "before", accepted, refused);
        TestStack.stop(TestStack.Server.KAFKA);
        long stoppedAt = System.nanoTime();
        Thread burst = new Thread(() -> submit(client, duringOutage, "during", accepted, refused), "drill-burst");
        burst.start();
        burst.join();
        long remaining = OUTAGE.toMillis() - Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis();
        if (remaining > 0) {
            Thread.sleep(remaining);
        }
        TestStack.start(TestStack.Server.KAFKA);
        submit(client, JOBS - beforeOutage - duringOutage, "after", accepted, refused);

        DrillReport report = JobTally.tally("kafka-broker-restart", client, accepted, Duration.ofMinutes(4),
                "refused=" + refused.size() + ", worker redeliveries=" + ContractTestWorker.shared().redeliveries()).print();
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
