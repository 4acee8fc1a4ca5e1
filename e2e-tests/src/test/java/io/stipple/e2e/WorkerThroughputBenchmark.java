package io.stipple.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stipple.e2e.fixtures.GatewayClient;
import io.stipple.e2e.fixtures.GpuWorkers;
import io.stipple.e2e.fixtures.JobResults;
import io.stipple.stack.test.StippleStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * BENCHMARK, not a test (skipped unless {@code -Dstipple.bench=true}; docs/benchmarks.md): jobs at
 * the gateway's default settings through the whole stack (gateway, Kafka, scheduler, the real
 * gpu-worker, object store). Times come from the server's own timestamps (created_at to
 * completed_at), so client polling does not enter them. Measured: one job alone, then {@code jobs} jobs
 * submitted at once with dynamic batching (default max 8 images) and with batching off
 * ({@code stipple.worker.batching.max-images=1}, a new worker process). Prints one JSON line and
 * appends it to {@code target/worker-throughput.jsonl}.
 */
@ExtendWith(StippleStackExtension.class)
class WorkerThroughputBenchmark {

    static final int JOBS = Integer.getInteger("stipple.bench.jobs", 8);
    static final int ROUNDS = Integer.getInteger("stipple.bench.rounds", 3);
    static final Duration PATIENCE = Duration.ofMinutes(10);
    static final List<String> PROMPTS = List.of("a red circle on a white background", "a blue square on a black background",
            "a green triangle on a white background", "a yellow star on a blue background");

    @Test
    void jobsThroughTheWholeStackAloneAndConcurrentBatchedAndNot() throws Exception {
        assumeTrue(Boolean.getBoolean("stipple.bench"), "a benchmark: run with -Dstipple.bench=true");
        GpuWorkers workers = GpuWorkers.get();
        GatewayClient client = workers.client();
        burst(client, 1, 0); // warm-up: the model's first load and TensorFlow's first calls

        List<String> rows = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            rows.add(row("alone", round, burst(client, 1, round * 100)));
            rows.add(row("concurrent_batched", round, burst(client, JOBS, round * 100 + 10)));
        }
        workers.kill();
        workers.start(Map.of("stipple.worker.batching.max-images", "1"));
        burst(client, 1, 1);
        for (int round = 1; round <= ROUNDS; round++) {
            rows.add(row("concurrent_unbatched", round, burst(client, JOBS, round * 100 + 50)));
        }
        workers.kill();
        workers.start();

        String line = "{\"jobs\":" + JOBS + ",\"load_average\":" + Files.readString(Path.of("/proc/loadavg")).split(" ")[0]
                + ",\"rows\":[" + String.join(",", rows) + "]}";
        System.out.println("BENCH worker-throughput " + line);
        Path out = Path.of("target", "worker-throughput.jsonl");
        Files.createDirectories(out.getParent());
        Files.writeString(out, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** {@code count} one-image jobs at the defaults, submitted at once; their succeeded resources. */
    private static List<JsonNode> burst(GatewayClient client, int count, int seed) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(JobResults.submit(client, "{\"prompt\": \"%s\", \"seed\": %d}".formatted(PROMPTS.get(i % PROMPTS.size()),
                    seed + i)));
        }
        return ids.stream().map(id -> JobResults.awaitSucceeded(client, id, PATIENCE)).toList();
    }

    private static String row(String name, int round, List<JsonNode> jobs) {
        Instant first = jobs.stream().map(job -> Instant.parse(job.path("created_at").asText())).min(Instant::compareTo)
                .orElseThrow();
        Instant last = jobs.stream().map(job -> Instant.parse(job.path("completed_at").asText())).max(Instant::compareTo)
                .orElseThrow();
        double wall = Duration.between(first, last).toNanos() / 1e9;
        double queue = jobs.stream().mapToDouble(job -> job.path("metrics").path("queue_seconds").asDouble()).max().orElse(0);
        double run = jobs.stream().mapToDouble(job -> job.path("metrics").path("run_seconds").asDouble()).max().orElse(0);
        return String.format(Locale.ROOT, "{\"measurement\":\"%s\",\"round\":%d,\"images\":%d,\"wall_seconds\":%.3f,"
                + "\"images_per_second\":%.3f,\"queue_seconds_max\":%.3f,\"run_seconds_max\":%.3f}", name, round,
                jobs.size(), wall, jobs.size() / wall, queue, run);
    }
}
