package io.stipple.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.e2e.fixtures.E2eServices;
import io.stipple.e2e.fixtures.GatewayClient;
import io.stipple.e2e.fixtures.GpuWorkers;
import io.stipple.stack.process.RunningService;
import io.stipple.stack.test.StippleStackExtension;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One job, one trace, across the processes: a generation submitted with a {@code traceparent}
 * shows that trace id in the log lines the gateway, the scheduler and the real gpu-worker write
 * about it, although the job waits outside any span in the gateway's outbox, in the scheduler's
 * queue and in the worker's batcher (docs/observability.md).
 */
@ExtendWith(StippleStackExtension.class)
@ExtendWith(PrintLogsOnFailure.class)
class JobTraceAcrossServicesTest {

    static final String BODY = """
            {"prompt": "a small red circle in the center on a white background", "num_images": 1, "seed": 4, "steps": 6}""";

    @Test
    void theGatewayTheSchedulerAndTheWorkerLogTheJobInTheTraceItWasSubmittedIn() {
        GpuWorkers workers = GpuWorkers.get();
        E2eServices services = E2eServices.get();
        GatewayClient client = workers.client();
        // A trace id of this run only: the log files outlive the run.
        String traceId = UUID.randomUUID().toString().replace("-", "");
        GatewayClient.Answer accepted = client.submitGenerationInTrace(BODY, "00-" + traceId + "-00f067aa0ba902b7-01");
        assertEquals(202, accepted.status(), accepted.body());
        String id = accepted.json().path("id").asText();

        await("job " + id + " succeeded").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> client.get("/v1/jobs/" + id).json().path("status").asText(), "succeeded"::equals);

        String inTrace = "traceId=" + traceId + " ";
        await("every service logged the job in its trace").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertLogged(services.gateway(), inTrace, "job " + id + " accepted");
            assertLogged(services.scheduler(), inTrace, "job " + id + " queued");
            assertLogged(services.scheduler(), inTrace, "job " + id + " queued: attempt 1 dispatched");
            assertLogged(workers.current(), inTrace, "job " + id + " attempt 1 running");
            assertLogged(workers.current(), inTrace, "job " + id + " attempt 1: 1 images in");
            assertLogged(services.scheduler(), inTrace, "job " + id + " succeeded");
        });
    }

    private static void assertLogged(RunningService service, String inTrace, String text) {
        List<String> lines = service.logTail(Integer.MAX_VALUE);
        assertTrue(lines.stream().anyMatch(line -> line.contains(inTrace) && line.contains(text)),
                () -> service.name() + " logged no line with \"" + inTrace.trim() + "\" and \"" + text + "\"; its lines about the job:\n"
                        + String.join("\n", lines.stream().filter(line -> line.contains(text.split(" ")[1])).toList()));
    }
}
