package io.stipple.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.e2e.fixtures.E2eServices;
import io.stipple.e2e.fixtures.GatewayClient;
import io.stipple.e2e.fixtures.GpuWorkers;
import io.stipple.stack.process.RunningService;
import io.stipple.stack.test.StippleStackExtension;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One job, one trace, across the processes: a generation submitted with a {@code traceparent}
 * shows that trace id in the log lines the gateway, the scheduler and the real gpu-worker write
 * about it, although the job waits outside any span in the gateway's outbox, in the scheduler's
 * queue and in the worker's batcher (docs/observability.md). The e2e gateway logs JSON
 * ({@code STIPPLE_LOG_JSON=true}, {@link E2eServices}): its line is read as a JSON object with the
 * trace id in its {@code mdc}; the others log the plain format's {@code traceId=} field.
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

        await("every service logged the job in its trace").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertLogged(services.gateway(), Format.JSON, traceId, "job " + id + " accepted");
            assertLogged(services.scheduler(), Format.TEXT, traceId, "job " + id + " queued");
            assertLogged(services.scheduler(), Format.TEXT, traceId, "job " + id + " queued: attempt 1 dispatched");
            assertLogged(workers.current(), Format.TEXT, traceId, "job " + id + " attempt 1 running");
            assertLogged(workers.current(), Format.TEXT, traceId, "job " + id + " attempt 1: 1 images in");
            assertLogged(services.scheduler(), Format.TEXT, traceId, "job " + id + " succeeded");
        });
    }

    /** How a service writes its log lines, and how to read a line's trace id and message back. */
    enum Format {
        TEXT {
            @Override
            Optional<Line> read(String line) {
                Matcher fields = TEXT_FIELDS.matcher(line);
                return fields.find() ? Optional.of(new Line(fields.group(1), line.substring(fields.end()))) : Optional.empty();
            }
        },
        JSON {
            @Override
            Optional<Line> read(String line) {
                if (!line.startsWith("{")) {
                    return Optional.empty();
                }
                try {
                    JsonNode record = MAPPER.readTree(line);
                    return Optional.of(new Line(record.path("mdc").path("traceId").asText(""), record.path("message").asText("")));
                } catch (JsonProcessingException e) {
                    return Optional.empty();
                }
            }
        };

        abstract Optional<Line> read(String line);
    }

    record Line(String traceId, String message) {
    }

    static final Pattern TEXT_FIELDS = Pattern.compile("traceId=(\\w*) spanId=\\w* ");
    static final ObjectMapper MAPPER = new ObjectMapper();

    private static void assertLogged(RunningService service, Format format, String traceId, String text) {
        List<String> lines = service.logTail(Integer.MAX_VALUE);
        assertTrue(lines.stream().map(format::read).flatMap(Optional::stream)
                        .anyMatch(line -> line.traceId().equals(traceId) && line.message().contains(text)),
                () -> service.name() + " logged no " + format + " line in trace " + traceId + " with \"" + text + "\"; its lines about the job:\n"
                        + String.join("\n", lines.stream().filter(line -> line.contains(text.split(" ")[1])).toList()));
    }
}
