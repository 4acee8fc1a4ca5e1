package io.stipple.trainer.jobs;

import static org.awaitility.Awaitility.await;

import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.Topics;
import io.stipple.contracts.event.JobCanceled;
import io.stipple.contracts.event.JobEvent;
import io.stipple.contracts.event.JobProgress;
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.contracts.spec.FineTuneSpec;
import io.stipple.contracts.work.ControlAction;
import io.stipple.contracts.work.FineTuneWorkItem;
import io.stipple.contracts.work.JobControl;
import io.stipple.trainer.job.FineTuneRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The scheduler's side of a fine-tune, played over the test's Kafka: work items to the trainer (for one
 * tenant, versions under {@code models/{output_model_name}/{job}/} as the scheduler names them), cancels,
 * and the trainer's events back.
 */
final class FineTuneTraffic {

    static final Duration PATIENCE = Duration.ofSeconds(300);

    private final KafkaCompanion kafka;
    private final ConsumerTask<String, String> events;
    private final String tenant;

    FineTuneTraffic(String bootstrap, String tenant) {
        this.kafka = new KafkaCompanion(bootstrap);
        this.events = kafka.consumeStrings().fromTopics(Topics.JOBS_EVENTS);
        this.tenant = tenant;
    }

    FineTuneWorkItem submit(FineTuneSpec spec, UUID jobId, int attempt) {
        String job = jobId.toString();
        FineTuneWorkItem item = new FineTuneWorkItem(SchemaVersion.CURRENT, jobId, tenant, attempt, 3 + attempt,
                Instant.now(), spec, "checkpoints/" + tenant + "/" + job + "/",
                "models/" + spec.outputModelName() + "/" + job + "/", job, 1000, Instant.now().plusSeconds(60));
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.WORK_FINETUNE, job,
                new String(ContractsJson.write(item), StandardCharsets.UTF_8))).awaitCompletion();
        return item;
    }

    List<JobEvent> eventsOf(UUID jobId, int attempt) {
        return events.getRecords().stream().filter(r -> jobId.toString().equals(r.key()))
                .map(r -> ContractsJson.read(r.value(), JobEvent.class)).filter(e -> e.attempt() == attempt).toList();
    }

    <E extends JobEvent> E awaitEvent(UUID jobId, int attempt, Class<E> type) {
        return type.cast(await().atMost(PATIENCE).until(() -> eventsOf(jobId, attempt).stream().filter(type::isInstance)
                .findFirst(), Optional::isPresent).get());
    }

    List<JobProgress> training(UUID jobId, int attempt) {
        return eventsOf(jobId, attempt).stream().filter(JobProgress.class::isInstance).map(JobProgress.class::cast)
                .filter(p -> p.progress().stage().equals(FineTuneRunner.TRAINING)).toList();
    }

    /** Waits until the attempt has reported a training step past {@code step}. */
    void awaitTrainingPast(UUID jobId, int attempt, int step) {
        await().atMost(PATIENCE).until(() -> training(jobId, attempt).stream().anyMatch(p -> p.progress().step() > step));
    }

    /**
     * Cancels the attempt as the scheduler does when its trainer is lost, sending the control again until the
     * attempt has ended (the trainer's control consumer joins late): canceled, or succeeded if it was faster.
     */
    void cancelUntilEnded(UUID jobId, int attempt) {
        JobControl cancel = new JobControl(SchemaVersion.CURRENT, jobId, tenant, attempt, 10, Instant.now(),
                ControlAction.CANCEL, "trainer lost");
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(2)).until(() -> {
            kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.JOBS_CONTROL, jobId.toString(),
                    new String(ContractsJson.write(cancel), StandardCharsets.UTF_8))).awaitCompletion();
            return eventsOf(jobId, attempt).stream().anyMatch(e -> e instanceof JobCanceled || e instanceof JobSucceeded);
        });
    }

    static void deleteRecursively(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
