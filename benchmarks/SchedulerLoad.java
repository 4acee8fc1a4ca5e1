import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.JobMessage;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.Topics;
import io.stipple.contracts.event.JobOutput;
import io.stipple.contracts.event.JobRunning;
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.contracts.request.JobSubmitted;
import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.spec.OutputFormat;
import io.stipple.contracts.spec.Priority;
import io.stipple.contracts.spec.Sampler;
import io.stipple.contracts.spec.Upscale;
import io.stipple.contracts.work.GenerationWorkItem;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * Load side of benchmarks/scheduler-throughput.sh: one scheduler, fed JobSubmitted records straight
 * on Kafka (no gateway in the way), its work answered by a no-op worker that speaks the contract (like
 * e2e-tests' ContractTestWorker: running, then succeeded, nothing rendered). Per round, alternated:
 * the yardstick (single-row insert transactions on one PostgreSQL connection: what one connection commits
 * one after the other), LONE jobs one at a time (each waits for the previous one to
 * succeed), and a BURST of jobs produced at once. Times come from the scheduler's own rows
 * (queued_at, its 'dispatched' event, completed_at). Prints one JSON line per round, then a summary.
 *
 * Run with the scheduler's runtime classpath (contracts, Kafka client, JDBC driver):
 * java -cp "scheduler-service/target/quarkus-app/lib/main/*" benchmarks/SchedulerLoad.java
 *      KAFKA JDBC_URL USER PASSWORD TENANT POOL ROUNDS LONE BURST YARDSTICK_SECONDS
 */
public class SchedulerLoad {

    static final String WORKER_ID = "bench-noop-worker";

    public static void main(String[] args) throws Exception {
        String kafka = args[0];
        String jdbc = args[1];
        String user = args[2];
        String password = args[3];
        String tenant = args[4];
        String pool = args[5];
        int rounds = Integer.parseInt(args[6]);
        int lone = Integer.parseInt(args[7]);
        int burst = Integer.parseInt(args[8]);
        int yardstickSeconds = Integer.parseInt(args[9]);

        createTopic(kafka, Topics.generationPool(pool));
        try (Connection db = DriverManager.getConnection(jdbc, user, password);
             KafkaProducer<String, String> producer = producer(kafka);
             NoopWorker worker = new NoopWorker(kafka, pool)) {
            db.createStatement().execute("create schema if not exists bench; create table if not exists bench.serial_insert"
                    + " (id uuid primary key, tenant text not null, body text not null, created_at timestamptz not null)");
            worker.start();
            runJobs(db, producer, tenant, 2); // warm-up: consumer group joins, JIT, first transactions
            List<String> lines = new ArrayList<>();
            List<Double> loneDispatch = new ArrayList<>(), burstDispatch = new ArrayList<>(), burstWait = new ArrayList<>();
            List<Double> throughputs = new ArrayList<>(), yardsticks = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                String load = loadAverage();
                double inserts = serialInserts(db, yardstickSeconds);
                List<UUID> loneJobs = new ArrayList<>();
                for (int i = 0; i < lone; i++) {
                    loneJobs.addAll(runJobs(db, producer, tenant, 1));
                }
                List<UUID> burstJobs = runJobs(db, producer, tenant, burst);
                Times loneTimes = times(db, loneJobs);
                Times burstTimes = times(db, burstJobs);
                double jobsPerSecond = burst / burstTimes.spanSeconds;
                loneDispatch.addAll(loneTimes.queuedToDispatched);
                burstDispatch.addAll(burstTimes.queuedToDispatched);
                burstWait.addAll(burstTimes.submittedToDispatched);
                throughputs.add(jobsPerSecond);
                yardsticks.add(inserts);
                String line = String.format(java.util.Locale.ROOT,
                        "{\"round\":%d,\"load_average\":%s,\"postgres_serial_inserts_per_second\":%.1f,"
                                + "\"burst_jobs\":%d,\"burst_jobs_per_second\":%.1f,\"burst_over_postgres\":%.4f,"
                                + "\"burst_queued_to_dispatched_ms\":{\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f},"
                                + "\"burst_submitted_to_dispatched_ms\":{\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f},"
                                + "\"lone_jobs\":%d,\"lone_queued_to_dispatched_ms\":{\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f},"
                                + "\"lone_queued_to_completed_ms\":{\"p50\":%.1f,\"max\":%.1f}}",
                        round, load, inserts, burst, jobsPerSecond, jobsPerSecond / inserts,
                        pct(burstTimes.queuedToDispatched, 50), pct(burstTimes.queuedToDispatched, 99),
                        pct(burstTimes.queuedToDispatched, 100), pct(burstTimes.submittedToDispatched, 50),
                        pct(burstTimes.submittedToDispatched, 99), pct(burstTimes.submittedToDispatched, 100), lone,
                        pct(loneTimes.queuedToDispatched, 50), pct(loneTimes.queuedToDispatched, 99),
                        pct(loneTimes.queuedToDispatched, 100), pct(loneTimes.queuedToCompleted, 50),
                        pct(loneTimes.queuedToCompleted, 100));
                System.err.println(line);
                lines.add(line);
            }
            System.out.printf(java.util.Locale.ROOT,
                    "{\"benchmark\":\"scheduler\",\"rounds\":%d,\"burst_jobs_per_second_median\":%.1f,"
                            + "\"postgres_serial_inserts_per_second_median\":%.1f,\"burst_over_postgres\":%.4f,"
                            + "\"burst_queued_to_dispatched_ms\":{\"p50\":%.1f,\"p99\":%.1f},"
                            + "\"burst_submitted_to_dispatched_ms\":{\"p50\":%.1f,\"p99\":%.1f},"
                            + "\"lone_queued_to_dispatched_ms\":{\"p50\":%.1f,\"p99\":%.1f},\"worker_redeliveries\":%d,"
                            + "\"round_lines\":[%s]}%n",
                    rounds, pct(throughputs, 50), pct(yardsticks, 50), pct(throughputs, 50) / pct(yardsticks, 50),
                    pct(burstDispatch, 50), pct(burstDispatch, 99), pct(burstWait, 50), pct(burstWait, 99), pct(loneDispatch, 50), pct(loneDispatch, 99),
                    worker.duplicates, String.join(",", lines));
        }
    }

    /** Submits {@code count} one-image generation jobs at once and waits until the scheduler has them all succeeded. */
    static List<UUID> runJobs(Connection db, KafkaProducer<String, String> producer, String tenant, int count)
            throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            UUID id = UUID.randomUUID();
            GenerationSpec spec = new GenerationSpec("a small red circle in the center on a white background", "", 1,
                    ids.size(), Sampler.DPMPP_2M, null, 20, 3.0, 0.0, null, null, Upscale.NONE, null, null,
                    ModelRef.parse("stipple-base-16@6"), Priority.NORMAL, null, OutputFormat.PNG);
            producer.send(new ProducerRecord<>(Topics.JOB_REQUESTS, id.toString(),
                    json(JobSubmitted.of(id, tenant, Instant.now(), spec))));
            ids.add(id);
        }
        producer.flush();
        try (PreparedStatement done = db.prepareStatement(
                "select count(*) from scheduler.jobs where id = any(?) and status = 'SUCCEEDED'")) {
            done.setArray(1, db.createArrayOf("uuid", ids.toArray()));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (true) {
                try (ResultSet rs = done.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == count) {
                        return ids;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("jobs not all succeeded within 5 minutes");
                }
                Thread.sleep(5);
            }
        }
    }

    /**
     * @param submittedToDispatched from the submission's time (set by this program when it produced the record) to
     *                              the dispatch: also counts the wait in Kafka before the scheduler queued the job
     */
    record Times(List<Double> queuedToDispatched, List<Double> submittedToDispatched, List<Double> queuedToCompleted,
            double spanSeconds) {
    }

    /** From the scheduler's rows: each job's first dispatch and completion after queued_at, and the whole set's span. */
    static Times times(Connection db, List<UUID> ids) throws Exception {
        List<Double> dispatched = new ArrayList<>(), waited = new ArrayList<>(), completed = new ArrayList<>();
        try (PreparedStatement q = db.prepareStatement("""
                select extract(epoch from (min(e.occurred_at) - j.queued_at)) * 1000,
                       extract(epoch from (j.completed_at - j.queued_at)) * 1000,
                       extract(epoch from (min(e.occurred_at) - j.submitted_at)) * 1000
                  from scheduler.jobs j join scheduler.job_events e on e.job_id = j.id and e.type = 'dispatched'
                 where j.id = any(?) group by j.id, j.queued_at, j.submitted_at, j.completed_at""")) {
            q.setArray(1, db.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    dispatched.add(rs.getDouble(1));
                    completed.add(rs.getDouble(2));
                    waited.add(rs.getDouble(3));
                }
            }
        }
        double span;
        try (PreparedStatement q = db.prepareStatement(
                "select extract(epoch from (max(completed_at) - min(queued_at))) from scheduler.jobs where id = any(?)")) {
            q.setArray(1, db.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                span = rs.getDouble(1);
            }
        }
        return new Times(dispatched, waited, completed, span);
    }

    /** The yardstick: single-row insert transactions per second on one connection, for {@code seconds}. */
    static double serialInserts(Connection db, int seconds) throws Exception {
        try (PreparedStatement insert = db.prepareStatement(
                "insert into bench.serial_insert (id, tenant, body, created_at) values (?, 'bench', ?, now())")) {
            long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            long start = System.nanoTime();
            int n = 0;
            while (System.nanoTime() < end) {
                insert.setObject(1, UUID.randomUUID());
                insert.setString(2, "{\"prompt\":\"a small red circle in the center on a white background\",\"seed\":" + n + "}");
                insert.executeUpdate();
                n++;
            }
            return n / ((System.nanoTime() - start) / 1e9);
        }
    }

    static double pct(List<Double> values, double percentile) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static String loadAverage() throws Exception {
        return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
    }

    static String json(Object message) {
        return new String(ContractsJson.write(message), StandardCharsets.UTF_8);
    }

    static KafkaProducer<String, String> producer(String kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"), new StringSerializer(), new StringSerializer());
    }

    static void createTopic(String kafka, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** Consumes the pool's work items and answers each with running and succeeded at once; renders nothing. */
    static final class NoopWorker extends Thread implements AutoCloseable {
        final KafkaConsumer<String, String> consumer;
        final KafkaProducer<String, String> producer;
        final java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        volatile int duplicates;
        volatile boolean running = true;

        NoopWorker(String kafka, String pool) {
            super(WORKER_ID);
            setDaemon(true);
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                    ConsumerConfig.GROUP_ID_CONFIG, WORKER_ID, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true"), new StringDeserializer(), new StringDeserializer());
            producer = producer(kafka);
            consumer.subscribe(List.of(Topics.generationPool(pool)));
        }

        @Override
        public void run() {
            try {
                while (running) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        GenerationWorkItem item = ContractsJson.read(record.value(), GenerationWorkItem.class);
                        if (!seen.add(item.jobId() + "#" + item.attempt())) {
                            duplicates++;
                            continue;
                        }
                        send(new JobRunning(SchemaVersion.CURRENT, item.jobId(), item.tenantId(), item.attempt(), 1,
                                Instant.now(), WORKER_ID));
                        JobOutput output = new JobOutput(item.outputPrefix() + "0.png", "image/png", 1, Map.of("index", "0"));
                        send(new JobSucceeded(SchemaVersion.CURRENT, item.jobId(), item.tenantId(), item.attempt(), 2,
                                Instant.now(), WORKER_ID, List.of(output), null, Map.of()));
                    }
                    producer.flush();
                }
            } catch (WakeupException e) {
                // closing
            }
        }

        void send(JobMessage event) {
            producer.send(new ProducerRecord<>(Topics.JOBS_EVENTS, event.jobId().toString(), json(event)));
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            consumer.wakeup();
            join(10_000);
            consumer.close(Duration.ofSeconds(5));
            producer.close(Duration.ofSeconds(5));
        }
    }
}
