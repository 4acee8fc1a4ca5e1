package io.stipple.e2e;

import io.stipple.e2e.fixtures.ContractTestWorker;
import io.stipple.e2e.fixtures.DrillReport;
import io.stipple.e2e.fixtures.E2eServices;
import io.stipple.e2e.fixtures.GatewayClient;
import io.stipple.e2e.fixtures.JobTally;
import io.stipple.stack.test.StippleStackExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Drill (issue 6): the scheduler process stops; jobs submitted meanwhile wait in Kafka (the gateway
 * accepts them regardless); a new scheduler process picks them up from its committed offsets, and
 * every accepted job, before and during the stop, is visible and completes exactly once.
 */
@ExtendWith(StippleStackExtension.class)
@ExtendWith(PrintLogsOnFailure.class)
class SchedulerRestartDrillTest {

    static final int JOBS = 10;

    @Test
    void everyAcceptedJobIsVisibleAndCompletesAfterASchedulerRestart() {
        E2eServices services = E2eServices.get();
        GatewayClient client = services.client();
        ContractTestWorker.shared();
        List<UUID> accepted = new ArrayList<>();

        submit(client, "before", JOBS / 2, accepted);
        services.stopScheduler();
        submit(client, "while stopped", JOBS - JOBS / 2, accepted);
        services.startScheduler();

        DrillReport report = JobTally.tally("scheduler-restart", client, accepted, Duration.ofMinutes(3), "").print();
        assertEquals(JOBS, report.accepted());
        assertEquals(JOBS, report.completed(), report.line());
        assertEquals(0, report.lost(), report.line());
        assertEquals(0, report.duplicated(), report.line());
    }

    private static void submit(GatewayClient client, String phase, int count, List<UUID> accepted) {
        for (int i = 0; i < count; i++) {
            GatewayClient.Answer answer = client.submitGeneration(
                    "{\"prompt\": \"%s %d: a green triangle\", \"seed\": %d}".formatted(phase, i, i));
            assertEquals(202, answer.status(), answer.body());
            accepted.add(UUID.fromString(answer.json().path("id").asText()));
        }
    }
}
