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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drill (issue 10): PostgreSQL stops and starts again on the same port and data while the gateway
 * and scheduler keep running. While it is away the gateway says so (readiness DOWN, submissions a
 * 503 problem with Retry-After); once it is back both services recover on their own (no restart):
 * readiness is UP again and new jobs are accepted, queued and completed.
 */
@ExtendWith(StippleStackExtension.class)
@ExtendWith(PrintLogsOnFailure.class)
class PostgresRestartDrillTest {

    static final int JOBS_AFTER = 10;
    static final String BODY = "{\"prompt\": \"after the database restart: a blue square\", \"seed\": %d}";

    @Test
    void servicesRecoverWithoutARestartOfTheirOwn() {
        E2eServices services = E2eServices.get();
        GatewayClient client = services.client();
        ContractTestWorker.shared();
        long gatewayPid = services.gateway().pid();
        long schedulerPid = services.scheduler().pid();

        TestStack.stop(TestStack.Server.POSTGRES);
        await("gateway readiness DOWN").atMost(Duration.ofMinutes(1)).until(() -> client.readiness() == 503);
        GatewayClient.Answer refused = client.submitGeneration(BODY.formatted(0));
        assertEquals(503, refused.status(), refused.body());
        assertEquals("urn:stipple:problem:service-unavailable", refused.json().path("type").asText(), refused.body());
        assertNotNull(refused.header("Retry-After"), "a 503 says when to come back");

        TestStack.start(TestStack.Server.POSTGRES);
        await("gateway readiness UP again").atMost(Duration.ofMinutes(2)).until(() -> client.readiness() == 200);
        assertTrue(services.scheduler().awaitReady(Duration.ofMinutes(2)), "scheduler readiness UP again");

        List<UUID> accepted = new ArrayList<>();
        List<String> refusedAfter = new ArrayList<>();
        for (int i = 1; i <= JOBS_AFTER; i++) {
            GatewayClient.Answer answer = client.submitGenerationRetrying(BODY.formatted(i), 5);
            if (answer.status() == 202) {
                accepted.add(UUID.fromString(answer.json().path("id").asText()));
            } else {
                refusedAfter.add(answer.status() + " " + answer.body());
            }
        }
        DrillReport report = JobTally.tally("postgres-restart", client, accepted, Duration.ofMinutes(3),
                "refused after recovery=" + refusedAfter.size()).print();
        assertEquals(List.of(), refusedAfter);
        assertEquals(JOBS_AFTER, report.completed(), report.line());
        assertEquals(0, report.lost(), report.line());
        assertEquals(0, report.duplicated(), report.line());
        assertEquals(gatewayPid, services.gateway().pid(), "the gateway was not restarted");
        assertEquals(schedulerPid, services.scheduler().pid(), "the scheduler was not restarted");
    }
}
