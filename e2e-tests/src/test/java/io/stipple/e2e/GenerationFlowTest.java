package io.stipple.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.stack.Ports;
import io.stipple.stack.StackEndpoints;
import io.stipple.stack.process.RunningService;
import io.stipple.stack.test.StippleStackExtension;
import io.stipple.storage.ObjectInfo;
import io.stipple.storage.ObjectStore;
import io.stipple.storage.StorageSettings;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * The whole generation path with the real gpu-worker: gateway, scheduler and worker fast-jars run
 * as child processes over the real stack, the worker sampling with the bundled base model. A
 * prompt submitted through the gateway comes back as a PNG through its presigned URL; the same
 * seed gives the same bytes; a worker killed (the process, forcibly) in the middle of its jobs
 * leaves them to the scheduler's lease, and a new worker completes them with exactly one result set.
 *
 * <p>Runs in a JVM of its own (see the e2e pom): no test fixture may share the workers' consumer group.
 */
@ExtendWith(StippleStackExtension.class)
class GenerationFlowTest {

    static final String API_KEY = "stp_0000000e2e02_generation-flow-test-key";
    static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    static final Duration PATIENCE = Duration.ofMinutes(5);
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<RunningService> SERVICES = new ArrayList<>();

    static Path repository;
    static Path logs;
    static StackEndpoints stack;
    static RunningService gateway;
    static RunningService worker;
    static ObjectStore store;

    @RegisterExtension
    static final TestWatcher PRINT_LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            printLogTails();
        }
    };

    @BeforeAll
    static void startServices(StackEndpoints endpoints) {
        stack = endpoints;
        repository = Path.of(System.getProperty("stipple.repository.root", "..")).toAbsolutePath().normalize();
        logs = Path.of("target", "e2e-logs").toAbsolutePath();
        gateway = launch("gateway", "gateway-service", Map.of(),
                Map.of("STIPPLE_GATEWAY_BOOTSTRAP_TENANT", "flow", "STIPPLE_GATEWAY_BOOTSTRAP_API_KEY", API_KEY));
        // Short leases, so a killed worker's jobs come back within seconds (heartbeats every second).
        launch("scheduler", "scheduler-service", Map.of("scheduler.lease.duration", "12s",
                "scheduler.lease.heartbeat-interval", "1s", "scheduler.lease.max-attempts", "3",
                "scheduler.lease.reaper-period", "500ms", "scheduler.dispatch.period", "200ms",
                "scheduler.dispatch.generation-in-flight", "16"), Map.of());
        worker = startWorker("worker-1");
        SERVICES.forEach(GenerationFlowTest::awaitReady);
        store = new ObjectStore(new StorageSettings(stack.s3Endpoint(), stack.s3AccessKey(), stack.s3SecretKey(),
                stack.bucket(), stack.region()));
    }

    static RunningService startWorker(String name) {
        return launch(name, "gpu-worker", Map.of(
                "stipple.worker.bundled-models-dir", repository.resolve("models").toString(),
                "stipple.worker.cache-dir", Path.of("target", "e2e-worker-cache").toAbsolutePath().toString(),
                "stipple.runtime.worker-id", name), Map.of());
    }

    static RunningService launch(String name, String module, Map<String, String> config, Map<String, String> env) {
        Path jar = repository.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.isRegularFile(jar), jar + " is missing: package " + module + " first (the reactor does)");
        Map<String, String> all = new HashMap<>(stack.quarkusConfig());
        all.putAll(config);
        RunningService service = RunningService.launch(name, jar, Ports.free(), all, env,
                List.of("-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), logs.resolve(name + ".log"));
        SERVICES.add(service);
        return service;
    }

    static void awaitReady(RunningService service) {
        if (!service.awaitReady(READY_TIMEOUT)) {
            printLogTails();
            throw new AssertionError(service.name() + " did not become ready within " + READY_TIMEOUT
                    + (service.isAlive() ? "" : " (it exited)") + "; log tails printed above");
        }
    }

    @AfterAll
    static void stopServices() {
        SERVICES.forEach(service -> service.stop(Duration.ofSeconds(30)));
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aPromptBecomesAPngWithItsParametersThroughThePresignedUrlAndTheSameSeedGivesTheSameBytes() throws Exception {
        String body = """
                {"prompt": "a red circle on a white background", "num_images": 2, "seed": 1234}""";
        JsonNode first = awaitSucceeded(submit(body));
        JsonNode second = awaitSucceeded(submit(body));

        assertEquals(2, first.path("outputs").size(), first.toString());
        for (int index = 0; index < 2; index++) {
            byte[] png = download(first.path("outputs").get(index).path("url").asText());
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(16, image.getWidth());
            assertEquals(16, image.getHeight());
            assertTrue(distinctColours(image) > 8, "image " + index + " is not blank or flat");
            JsonNode parameters = JSON.readTree(pngText(png).get("stipple.parameters"));
            assertEquals("a red circle on a white background", parameters.path("prompt").asText(), parameters.toString());
            assertEquals(1234, parameters.path("seed").asLong(), parameters.toString());
            assertEquals(index, parameters.path("index").asInt(), parameters.toString());
            JsonNode model = first.path("input").path("model");
            assertEquals(model.path("name").asText() + "@" + model.path("version").asText(),
                    parameters.path("model").asText(), parameters.toString());
            assertEquals(first.path("input").path("steps").asInt(), parameters.path("steps").asInt());

            assertArrayEquals(png, download(second.path("outputs").get(index).path("url").asText()),
                    "same request and seed, same bytes (image " + index + ")");
        }
    }

    @Test
    void jobsOfAKilledWorkerAreCompletedByAnotherWithExactlyOneResultSet() throws Exception {
        // Several jobs with distinct settings (no batching): one samples while the others wait in the worker.
        List<String> ids = new ArrayList<>();
        for (int steps = 200; steps > 196; steps--) {
            ids.add(submit("""
                    {"prompt": "a blue square", "num_images": 8, "seed": 5, "steps": %d}""".formatted(steps)));
        }
        await("a job is running on " + worker.name()).atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> ids.stream().anyMatch(id -> "running".equals(job(id).path("status").asText())));
        worker.kill();
        List<String> interrupted = ids.stream().filter(id -> !"succeeded".equals(job(id).path("status").asText()))
                .toList();
        assertFalse(interrupted.isEmpty(), "the kill left no job unfinished");

        startWorker("worker-2");
        awaitReady(SERVICES.get(SERVICES.size() - 1));
        int recovered = 0;
        for (String id : interrupted) {
            JsonNode done = awaitSucceeded(id);
            // Jobs the dead worker held come back on a later attempt; one still queued at the kill runs on its first.
            recovered += done.path("attempt").asInt() >= 2 ? 1 : 0;
            assertEquals(8, done.path("outputs").size(), done.toString());
            String key = done.path("outputs").get(0).path("key").asText();
            String prefix = key.substring(0, key.lastIndexOf('/') + 1);
            Set<String> stored = new TreeSet<>();
            for (ObjectInfo object : store.list(prefix)) {
                stored.add(object.key().substring(prefix.length()));
            }
            Set<String> expected = new TreeSet<>();
            for (int index = 0; index < 8; index++) {
                expected.add(index + ".png");
                expected.add(index + ".json");
            }
            assertEquals(expected, stored, "exactly one result set under " + prefix);
        }
        assertTrue(recovered >= 1, "no job was completed on a later attempt after the kill");
    }

    static String submit(String body) throws Exception {
        HttpResponse<String> accepted = HTTP.send(request("/v1/generations").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        return JSON.readTree(accepted.body()).path("id").asText();
    }

    static JsonNode job(String id) {
        try {
            HttpResponse<String> shown = HTTP.send(request("/v1/jobs/" + id).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, shown.statusCode(), shown.body());
            return JSON.readTree(shown.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode awaitSucceeded(String id) {
        return await("job " + id + " succeeded").atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> job(id),
                current -> {
                    String status = current.path("status").asText();
                    if (Set.of("failed", "canceled").contains(status)) {
                        throw new AssertionError("job ended " + status + ": " + current);
                    }
                    return "succeeded".equals(status);
                });
    }

    static byte[] download(String url) throws Exception {
        HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode(), "GET " + url);
        return response.body();
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gateway.url() + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + API_KEY);
    }

    /** The PNG's tEXt chunks, read with the JDK's own PNG reader. */
    static Map<String, String> pngText(byte[] png) throws Exception {
        Map<String, String> text = new HashMap<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
            reader.setInput(in);
            IIOMetadata metadata = reader.getImageMetadata(0);
            Node root = metadata.getAsTree("javax_imageio_png_1.0");
            for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child.getNodeName().equals("tEXt")) {
                    for (Node entry = child.getFirstChild(); entry != null; entry = entry.getNextSibling()) {
                        NamedNodeMap attributes = entry.getAttributes();
                        text.put(attributes.getNamedItem("keyword").getNodeValue(),
                                attributes.getNamedItem("value").getNodeValue());
                    }
                }
            }
            reader.dispose();
        }
        return text;
    }

    static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    static void printLogTails() {
        for (RunningService service : SERVICES) {
            System.err.println("---- last lines of " + service.name() + "'s log ----");
            service.logTail(60).forEach(System.err::println);
        }
    }
}
