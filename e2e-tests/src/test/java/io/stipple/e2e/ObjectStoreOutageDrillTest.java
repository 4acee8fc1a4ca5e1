package io.stipple.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.stipple.e2e.fixtures.ContractTestWorker;
import io.stipple.e2e.fixtures.DrillReport;
import io.stipple.e2e.fixtures.E2eServices;
import io.stipple.e2e.fixtures.GatewayClient;
import io.stipple.e2e.fixtures.GpuWorkers;
import io.stipple.e2e.fixtures.JobResults;
import io.stipple.e2e.fixtures.JobTally;
import io.stipple.stack.StackEndpoints;
import io.stipple.stack.test.StippleStackExtension;
import io.stipple.stack.test.TestStack;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import io.stipple.storage.StorageSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drill (issues 10, 18): the object store stops during uploads, then starts again. While it is away an
 * upload is a clear 503 problem with Retry-After (not a 500) and the gateway's readiness says so;
 * afterwards uploads succeed, their bytes are in the bucket, and a job naming one completes.
 *
 * <p>And the store stops while jobs sample on the real gpu-worker ({@link GpuWorkers}): a job that
 * finishes sampling while it is away cannot upload its results; the worker reports that as the
 * infrastructure's failure, the scheduler retries it with backoff, and every job completes once
 * the store is back, exactly once (one result set, one successful attempt).
 *
 * <p>The size: {@code -Dstipple.drill.object-store.jobs=10 -Dstipple.drill.object-store.outage=30}
 * (docs/drills.md).
 */
@ExtendWith(StippleStackExtension.class)
@ExtendWith(PrintLogsOnFailure.class)
class ObjectStoreOutageDrillTest {

    static final int UPLOADS = 6;
    /** Jobs on the real worker when the store stops, and how long it stays away. */
    static final int JOBS = Integer.getInteger("stipple.drill.object-store.jobs", 3);
    static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("stipple.drill.object-store.outage", 15));
    /** Steps of the first job: a few seconds of sampling on the bundled model (20 steps take 0.5 s here). */
    static final int STEPS = 150;

    @Test
    void uploadsAreRefusedClearlyWhileItIsAwayAndSucceedAfter(StackEndpoints stack) throws Exception {
        GatewayClient client = E2eServices.get().client();
        ContractTestWorker.shared();
        List<String> accepted = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();

        upload(client, 0, accepted, sent);
        TestStack.stop(TestStack.Server.S3);
        GatewayClient.Answer refused = client.upload("down.png", png(99), "image/png");
        assertEquals(503, refused.status(), refused.body());
        assertEquals("urn:stipple:problem:service-unavailable", refused.json().path("type").asText(), refused.body());
        assertNotNull(refused.header("Retry-After"), "a 503 says when to come back");
        await("gateway readiness DOWN").atMost(Duration.ofMinutes(1)).until(() -> E2eServices.get().gateway().readiness() == 503);

        TestStack.start(TestStack.Server.S3);
        await("gateway readiness UP again").atMost(Duration.ofMinutes(2)).until(() -> E2eServices.get().gateway().readiness() == 200);
        for (int i = 1; i < UPLOADS; i++) {
            upload(client, i, accepted, sent);
        }

        int stored = 0;
        try (ObjectStore store = new ObjectStore(new StorageSettings(stack.s3Endpoint(), stack.s3AccessKey(),
                stack.s3SecretKey(), stack.bucket(), stack.region()))) {
            for (int i = 0; i < accepted.size(); i++) {
                String key = ObjectKeys.upload("e2e", accepted.get(i), "0.png");
                if (store.exists(key)) {
                    assertArrayEquals(sent.get(i), store.get(key), key);
                    stored++;
                }
            }
        }
        Set<String> distinct = new HashSet<>(accepted);
        new DrillReport("object-store-outage-uploads", accepted.size(), stored, accepted.size() - stored,
                accepted.size() - distinct.size(), "refused while down=1 (503)").print();
        assertEquals(UPLOADS, accepted.size());
        assertEquals(UPLOADS, stored);

        // A job naming an upload made after the outage completes.
        GatewayClient.Answer job = client.submitGeneration("{\"prompt\": \"a red circle\", \"init_image\": {\"upload_id\": \""
                + accepted.get(UPLOADS - 1) + "\", \"strength\": 0.6}}");
        assertEquals(202, job.status(), job.body());
        DrillReport jobs = JobTally.tally("object-store-outage-job", client, List.of(UUID.fromString(job.json().path("id").asText())),
                Duration.ofMinutes(2), "").print();
        assertEquals(1, jobs.completed(), jobs.line());
    }

    @Test
    void jobsOnTheRealWorkerCompleteOnceThoughTheStoreIsAwayWhileTheyRunAndUpload() throws Exception {
        GpuWorkers workers = GpuWorkers.get();
        GatewayClient client = workers.client();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            // Distinct step counts: no two share a batch, so they sample (and upload) one after another,
            // seconds each: the first is running when the store stops, the others run while it is away.
            ids.add(JobResults.submit(client, "{\"prompt\": \"store drill %d: a blue square\", \"seed\": %d, \"steps\": %d}"
                    .formatted(i, i, STEPS + i)));
        }
        await("a job running").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> ids.stream().anyMatch(id -> "running".equals(JobResults.job(client, id).path("status").asText())));
        TestStack.stop(TestStack.Server.S3);
        Instant stopped = Instant.now();
        Thread.sleep(OUTAGE.toMillis());
        Duration outage = Duration.between(stopped, Instant.now());
        TestStack.start(TestStack.Server.S3);

        List<UUID> accepted = ids.stream().map(UUID::fromString).toList();
        DrillReport tally = JobTally.tally("object-store-outage-worker", client, accepted, Duration.ofMinutes(5 + JOBS / 2), "");
        long retried = ids.stream().filter(id -> JobResults.job(client, id).path("attempt").asInt() > 1).count();
        DrillReport report = new DrillReport(tally.drill(), tally.accepted(), tally.completed(), tally.lost(), tally.duplicated(),
                "outage=" + outage.toSeconds() + "s, " + retried + " jobs completed on a later attempt").print();
        Map<String, Set<String>> wrongResultSets = new TreeMap<>();
        for (String id : ids) {
            JsonNode job = JobResults.job(client, id);
            if ("succeeded".equals(job.path("status").asText())) {
                Set<String> stored = JobResults.storedResultSet(workers, job);
                if (!stored.equals(JobResults.expectedResultSet(1))) {
                    wrongResultSets.put(id, stored);
                }
            }
        }
        assertEquals(JOBS, report.accepted());
        assertEquals(0, report.lost(), report.line());
        assertEquals(0, report.duplicated(), report.line());
        assertEquals(report.accepted(), report.completed(), report.line());
        assertEquals(Map.of(), wrongResultSets, "jobs without exactly one result set");
        assertTrue(retried >= 1, "no upload fell into the outage: the drill tried nothing");
    }

    private static void upload(GatewayClient client, int i, List<String> accepted, List<byte[]> sent) {
        byte[] png = png(i);
        GatewayClient.Answer answer = client.upload("drill-" + i + ".png", png, "image/png");
        assertEquals(201, answer.status(), answer.body());
        accepted.add(answer.json().path("id").asText());
        sent.add(png);
    }

    private static byte[] png(int seed) {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                image.setRGB(x, y, (seed * 37 + x * 13 + y * 7) & 0xffffff);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
