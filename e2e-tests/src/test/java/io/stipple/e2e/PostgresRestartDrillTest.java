package io.stipple.e2e;

import io.stipple.e2e.fixtures.ContractTestWorker;
import io.stipple.e2e.fixtures.DrillReport;
import io.stipple.e2e.fixtures.E2eServices;
import io.stipple.e2e.fixtures.GatewayClient;
import io.stipple.e2e.fixtures.GpuWorkers;
import io.stipple.e2e.fixtures.JobResults;
import io.stipple.e2e.fixtures.JobTally;
import io.stipple.stack.test.StippleStackExtension;
import io.stipple.stack.test.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.JobMessage;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.Topics;
import io.stipple.contracts.event.JobHeartbeat;
import io.stipple.contracts.request.CancelRequested;
import io.stipple.contracts.spec.JobKind;
import io.stipple.contracts.status.JobState;
import io.stipple.contracts.status.JobStatus;
import io.stipple.contracts.status.JobTimestamps;
import io.stipple.contracts.status.StatusTrigger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drill (issues 10, 18): PostgreSQL stops and starts again on the same port and data while the gateway
 * and scheduler keep running. While it is away the gateway says so (readiness DOWN, submissions a
 * 503 problem with Retry-After), and each Kafka consumer of the two services holds a record it cannot
 * handle without the database for longer than the consumers' stuck-record limit
 * ({@link E2eServices#UNPROCESSED_RECORD_MAX_AGE}, SmallRye closed the consumer past it); once the
 * database is back both services recover on their own (no restart): readiness is UP again and new jobs
 * are accepted (request consumer), run (event consumer) and seen completed (the gateway's status consumer).
 *
 * <p>Jobs are in flight when it stops: a burst for the contract test worker submitted just before (some
 * still in the gateway's outbox, some in the scheduler, some answered), and jobs sampling on the real
 * gpu-worker ({@link GpuWorkers}), which finish during the outage and report to a scheduler that cannot
 * record it. All of them complete once, by the workers' account too (no second successful attempt).
 *
 * <p>The size: {@code -Dstipple.drill.postgres.outage=90 -Dstipple.drill.postgres.in-flight=50
 * -Dstipple.drill.postgres.gpu-jobs=4} (docs/drills.md).
 */
@ExtendWith(StippleStackExtension.class)
@ExtendWith(PrintLogsOnFailure.class)
class PostgresRestartDrillTest {

    static final int JOBS_AFTER = 10;
    static final String BODY = "{\"prompt\": \"after the database restart: a blue square\", \"seed\": %d}";
    /** Seconds the database stays away; well past the consumers' limit plus the 5 s between its checks. */
    static final long OUTAGE_SECONDS = Long.getLong("stipple.drill.postgres.outage", 75);
    /** Contract-test jobs submitted right before the database stops, and jobs sampling on the real worker then. */
    static final int IN_FLIGHT = Integer.getInteger("stipple.drill.postgres.in-flight", 10);
    static final int GPU_JOBS = Integer.getInteger("stipple.drill.postgres.gpu-jobs", 2);

    @Test
    void servicesRecoverWithoutARestartOfTheirOwn() {
        E2eServices services = E2eServices.get();
        GatewayClient client = services.client();
        ContractTestWorker.shared();
        GpuWorkers workers = GpuWorkers.get();
        long gatewayPid = services.gateway().pid();
        long schedulerPid = services.scheduler().pid();

        List<String> gpuJobs = new ArrayList<>();
        for (int i = 0; i < GPU_JOBS; i++) {
            // Distinct step counts: no two share a batch, so they finish one after another during the outage.
            gpuJobs.add(JobResults.submit(workers.client(),
                    "{\"prompt\": \"database drill %d: a green triangle\", \"seed\": %d, \"steps\": %d}".formatted(i, i, 30 + i)));
        }
        await("a job running on the gpu-worker").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> gpuJobs.stream().anyMatch(id -> "running".equals(JobResults.job(workers.client(), id).path("status").asText())));
        List<UUID> inFlight = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
            inFlight.add(UUID.fromString(JobResults.submit(client, BODY.formatted(1000 + i))));
        }
        TestStack.stop(TestStack.Server.POSTGRES);
        Instant down = Instant.now();
        long unansweredAtStop = inFlight.size()
                - ContractTestWorker.shared().completed().stream().filter(inFlight::contains).count();
        await("gateway readiness DOWN").atMost(Duration.ofMinutes(1)).until(() -> E2eServices.get().gateway().readiness() == 503);
        GatewayClient.Answer refused = client.submitGeneration(BODY.formatted(0));
        assertEquals(503, refused.status(), refused.body());
        assertEquals("urn:stipple:problem:service-unavailable", refused.json().path("type").asText(), refused.body());
        assertNotNull(refused.header("Retry-After"), "a 503 says when to come back");
        assertTrue(Duration.ofSeconds(OUTAGE_SECONDS).compareTo(E2eServices.UNPROCESSED_RECORD_MAX_AGE.plusSeconds(10)) > 0,
                "the outage must outlast the consumers' stuck-record limit");
        Instant stopped = Instant.now();
        ConsumerRecords.onePerConsumer(services.stack().kafkaBootstrap());
        sleepUntil(stopped.plusSeconds(OUTAGE_SECONDS));

        Duration outage = Duration.between(down, Instant.now());
        TestStack.start(TestStack.Server.POSTGRES);
        await("gateway readiness UP again").atMost(Duration.ofMinutes(2)).until(() -> E2eServices.get().gateway().readiness() == 200);
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
                "outage=" + outage.toSeconds() + "s consumer limit=" + E2eServices.UNPROCESSED_RECORD_MAX_AGE.toSeconds()
                        + "s refused after recovery=" + refusedAfter.size()).print();
        DrillReport during = JobTally.tally("postgres-restart-in-flight", client, inFlight, Duration.ofMinutes(3),
                "submitted right before the stop, not yet answered by the worker then=" + unansweredAtStop).print();
        DrillReport sampling = JobTally.tally("postgres-restart-gpu", workers.client(),
                gpuJobs.stream().map(UUID::fromString).toList(), Duration.ofMinutes(5 + GPU_JOBS),
                "on the real worker, one sampling at the stop").print();
        assertEquals(List.of(), refusedAfter);
        for (DrillReport drill : List.of(report, during, sampling)) {
            assertEquals(drill.accepted(), drill.completed(), drill.line());
            assertEquals(0, drill.lost(), drill.line());
            assertEquals(0, drill.duplicated(), drill.line());
        }
        assertEquals(JOBS_AFTER, report.completed(), report.line());
        assertEquals(gatewayPid, services.gateway().pid(), "the gateway was not restarted");
        assertEquals(schedulerPid, services.scheduler().pid(), "the scheduler was not restarted");
    }

    private static void sleepUntil(Instant until) {
        try {
            Thread.sleep(Math.max(0, Duration.between(Instant.now(), until).toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Records that each consumer can handle only with the database: about jobs no one knows, so they change nothing. */
    static final class ConsumerRecords {

        static void onePerConsumer(String bootstrap) {
            UUID unknown = UUID.randomUUID();
            Instant now = Instant.now();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
                send(producer, Topics.JOB_REQUESTS, CancelRequested.of(unknown, "drill", 1, now, "drill"));
                send(producer, Topics.JOBS_EVENTS, new JobHeartbeat(SchemaVersion.CURRENT, unknown, "drill", 1, 1, now,
                        "drill-worker"));
                send(producer, Topics.JOBS_STATUS, new JobStatus(SchemaVersion.CURRENT, unknown, "drill", 1, 1, now,
                        JobKind.GENERATION, JobState.QUEUED, StatusTrigger.QUEUED, null, null, List.of(), null, null,
                        new JobTimestamps(now, now, null, null), false));
                producer.flush();
            }
        }

        private static void send(KafkaProducer<String, String> producer, String topic, JobMessage message) {
            producer.send(new ProducerRecord<>(topic, message.jobId().toString(),
                    new String(ContractsJson.write(message), StandardCharsets.UTF_8)));
        }
    }
}
