package io.stipple.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.stack.Ports;
import io.stipple.stack.StackEndpoints;
import io.stipple.stack.process.RunningService;
import io.stipple.stack.test.StippleStackExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 2's first real path across processes: the gateway and scheduler fast-jars run as child
 * processes (as {@code ./stipple run} starts them) over the real Kafka and Postgres. POST stores
 * job + outbox row, the relay publishes it, the scheduler consumes it and records {@code queued},
 * and the gateway's GET shows that status from the scheduler's snapshot.
 */
@ExtendWith(StippleStackExtension.class)
class FirstPathTest {

    static final String API_KEY = "stp_0000000e2e01_end-to-end-test-key";
    static final String BODY = """
            {"prompt": "a red star on a blue background", "num_images": 1, "seed": 11}""";
    static final Duration READY_TIMEOUT = Duration.ofMinutes(4);

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<RunningService> SERVICES = new ArrayList<>();

    static RunningService gateway;

    @RegisterExtension
    static final TestWatcher PRINT_LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            printLogTails();
        }
    };

    @BeforeAll
    static void startServices(StackEndpoints stack) {
        Path repository = Path.of(System.getProperty("stipple.repository.root", "..")).toAbsolutePath().normalize();
        Path logs = Path.of("target", "e2e-logs").toAbsolutePath();
        // Small heaps and the quick JIT tier: two services share a 2-core machine with the stack.
        List<String> javaOptions = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        gateway = launch(repository, "gateway", "gateway-service", stack,
                Map.of("STIPPLE_GATEWAY_BOOTSTRAP_TENANT", "e2e", "STIPPLE_GATEWAY_BOOTSTRAP_API_KEY", API_KEY),
                javaOptions, logs);
        launch(repository, "scheduler", "scheduler-service", stack, Map.of(), javaOptions, logs);
        for (RunningService service : SERVICES) {
            if (!service.awaitReady(READY_TIMEOUT)) {
                printLogTails();
                throw new AssertionError(service.name() + " did not become ready within " + READY_TIMEOUT
                        + (service.isAlive() ? "" : " (it exited)") + "; log tails printed above");
            }
        }
    }

    private static RunningService launch(Path repository, String name, String module, StackEndpoints stack,
            Map<String, String> environment, List<String> javaOptions, Path logs) {
        Path jar = repository.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: package " + module + " first (the reactor does)");
        RunningService service = RunningService.launch(name, jar, Ports.free(), stack.quarkusConfig(), environment,
                javaOptions, logs.resolve(name + ".log"));
        SERVICES.add(service);
        return service;
    }

    @AfterAll
    static void stopServices() {
        SERVICES.forEach(service -> service.stop(Duration.ofSeconds(30)));
    }

    @Test
    void aSubmittedGenerationIsQueuedByTheSchedulerAndShowsOnGet() throws Exception {
        HttpResponse<String> accepted = HTTP.send(request("/v1/generations")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        JsonNode job = JSON.readTree(accepted.body());
        String id = UUID.fromString(job.path("id").asText()).toString();
        assertEquals("submitted", job.path("status").asText(), accepted.body());
        assertEquals("generation", job.path("kind").asText(), accepted.body());
        assertEquals("a red star on a blue background", job.path("input").path("prompt").asText(), accepted.body());
        assertEquals(11, job.path("input").path("seed").asLong(), accepted.body());
        assertTrue(accepted.headers().firstValue("Location").orElse("").endsWith("/v1/jobs/" + id),
                () -> "Location: " + accepted.headers().firstValue("Location"));

        await("GET /v1/jobs/" + id + " shows queued").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    HttpResponse<String> shown = HTTP.send(request("/v1/jobs/" + id).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, shown.statusCode(), shown.body());
                    JsonNode current = JSON.readTree(shown.body());
                    assertEquals(id, current.path("id").asText(), shown.body());
                    assertEquals("queued", current.path("status").asText(), shown.body());
                    assertTrue(current.hasNonNull("queued_at"), shown.body());
                });
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gateway.url() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + API_KEY);
    }

    private static void printLogTails() {
        for (RunningService service : SERVICES) {
            System.err.println("---- last lines of " + service.name() + "'s log ----");
            service.logTail(60).forEach(System.err::println);
        }
    }
}
