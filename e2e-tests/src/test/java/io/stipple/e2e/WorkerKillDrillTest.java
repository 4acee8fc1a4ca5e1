package io.stipple.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stipple.e2e.fixtures.DrillReport;
import io.stipple.e2e.fixtures.GatewayClient;
import io.stipple.e2e.fixtures.GpuWorkers;
import io.stipple.e2e.fixtures.JobResults;
import io.stipple.e2e.fixtures.JobTally;
import io.stipple.stack.test.StippleStackExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drill (issues 7 and 10): the real gpu-worker process is killed (SIGKILL) in the middle of a burst
 * of jobs, again and again; each time a new worker process starts. Jobs the dead worker held come
 * back when their leases run out and are completed on a later attempt: every job completes, exactly
 * once, with exactly one result set (a PNG and a JSON sidecar per image under its prefix, nothing
 * else).
 *
 * <p>A kill interrupts a job that still has an attempt left after it ({@link #MAX_ATTEMPTS}): every job
 * the dead process held loses an attempt (held jobs are heartbeated, so claimed), and a job killed on
 * its last attempt is dead-lettered by design (a job that keeps crashing workers is not retried for
 * ever). Duplicates are counted by attempt ({@link JobTally}: a job whose success was sent by two
 * attempts), since a second attempt's results overwrite the first's under the same keys.
 *
 * <p>The size, ten kills each in the middle of a job, ten of ten complete, with workers that hold
 * one job at a time (so a kill costs one job one attempt): {@code -Dstipple.drill.worker-kill.jobs=10
 * -Dstipple.drill.worker-kill.kills=10 -Dstipple.drill.worker-kill.max-held-jobs=1
 * -Dstipple.drill.worker-kill.steps=190} (docs/drills.md).
 */
@ExtendWith(StippleStackExtension.class)
@ExtendWith(PrintLogsOnFailure.class)
class WorkerKillDrillTest {

    static final int JOBS = Integer.getInteger("stipple.drill.worker-kill.jobs", 6);
    static final int KILLS = Integer.getInteger("stipple.drill.worker-kill.kills", 2);
    /** {@code stipple.runtime.max-held-jobs} of the drill's worker processes; unset: the worker's default. */
    static final Integer MAX_HELD_JOBS = Integer.getInteger("stipple.drill.worker-kill.max-held-jobs");
    /** The scheduler's {@code scheduler.lease.max-attempts} (its default; the e2e scheduler keeps it). */
    static final int MAX_ATTEMPTS = 3;
    static final int IMAGES = 2;
    /**
     * Sampling steps of the first job (the others one more each; the gateway allows 200). 60 (2 images)
     * take about 3 s here: long enough for two kills, too short for ten, whose jobs the drill's polling
     * (one GET per job) must see running before they end (at 60, ten jobs made 2 kills of 10).
     */
    static final int STEPS = Integer.getInteger("stipple.drill.worker-kill.steps", 60);
    static final Duration PATIENCE = Duration.ofMinutes(5 + JOBS / 2);

    @Test
    void everyJobCompletesOnceWithOneResultSetThoughItsWorkerIsKilledAgainAndAgain() throws Exception {
        GpuWorkers workers = GpuWorkers.get();
        GatewayClient client = workers.client();
        Map<String, String> workerConfig = MAX_HELD_JOBS == null ? Map.of()
                : Map.of("stipple.runtime.max-held-jobs", MAX_HELD_JOBS.toString());
        if (!workerConfig.isEmpty()) {
            workers.kill(); // idle: the shared worker of the JVM, replaced by one with the drill's settings
            workers.start(workerConfig);
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            // Distinct step counts: no two jobs share a batch, so some wait in the worker while one samples.
            ids.add(JobResults.submit(client, """
                    {"prompt": "drill %d: a green triangle", "num_images": %d, "seed": %d, "steps": %d}"""
                    .formatted(i, IMAGES, i, STEPS + i)));
        }
        List<Integer> interruptedPerKill = new ArrayList<>();
        Instant workerSince = Instant.EPOCH;
        for (int kill = 0; kill < KILLS; kill++) {
            String name = workers.current().name();
            boolean running = awaitAJobStartedSince(client, ids, workerSince);
            if (!running) {
                break; // every job finished before this kill: nothing left to interrupt
            }
            workers.kill();
            interruptedPerKill.add((int) ids.stream().filter(id -> !terminal(JobResults.job(client, id))).count());
            System.out.println("worker-kill drill: killed " + name + ", " + interruptedPerKill.get(kill) + " jobs unfinished");
            workerSince = Instant.now();
            workers.start(workerConfig);
        }

        List<UUID> accepted = ids.stream().map(UUID::fromString).toList();
        DrillReport report = JobTally.tally("worker-kill", client, accepted, PATIENCE,
                "kills=" + interruptedPerKill.size() + ", unfinished at each kill=" + interruptedPerKill).print();
        Map<String, String> wrongResultSets = new TreeMap<>();
        int laterAttempts = 0;
        for (String id : ids) {
            JsonNode job = JobResults.job(client, id);
            laterAttempts += job.path("attempt").asInt() >= 2 ? 1 : 0;
            Set<String> stored = JobResults.storedResultSet(workers, job);
            if (!stored.equals(JobResults.expectedResultSet(IMAGES))) {
                wrongResultSets.put(id, stored.toString());
            }
        }
        assertEquals(JOBS, report.accepted());
        assertEquals(0, report.lost(), report.line());
        assertEquals(0, report.duplicated(), report.line());
        assertEquals(report.accepted(), report.completed(), report.line());
        assertEquals(Map.of(), wrongResultSets, "jobs without exactly one result set");
        assertTrue(interruptedPerKill.size() >= Math.min(KILLS, 2) && interruptedPerKill.stream().allMatch(n -> n > 0),
                "the worker was not killed mid-burst " + Math.min(KILLS, 2) + " times: " + interruptedPerKill);
        assertTrue(laterAttempts >= 1, "no job was completed on a later attempt after a kill");
    }

    /**
     * Waits until some job runs that started after {@code since} (on the current worker, not a dead
     * one whose lease has not run out yet) and has an attempt left after this one; false when all had
     * finished already.
     */
    private static boolean awaitAJobStartedSince(GatewayClient client, List<String> ids, Instant since) {
        return await("a job running").atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<JsonNode> jobs = ids.stream().map(id -> JobResults.job(client, id)).toList();
            if (jobs.stream().allMatch(WorkerKillDrillTest::terminal)) {
                return Boolean.FALSE;
            }
            return jobs.stream().anyMatch(job -> "running".equals(job.path("status").asText())
                    && Instant.parse(job.path("started_at").asText()).isAfter(since)
                    && job.path("attempt").asInt() < MAX_ATTEMPTS) ? Boolean.TRUE : null;
        }, result -> result != null);
    }

    private static boolean terminal(JsonNode job) {
        return Set.of("succeeded", "failed", "canceled").contains(job.path("status").asText());
    }
}
