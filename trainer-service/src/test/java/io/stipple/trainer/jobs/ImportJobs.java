package io.stipple.trainer.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.Topics;
import io.stipple.contracts.event.JobEvent;
import io.stipple.contracts.event.JobFailed;
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.contracts.spec.ModelImportSpec;
import io.stipple.contracts.work.ModelImportWorkItem;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import io.stipple.trainer.registry.ModelRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Model import jobs as the scheduler sends them to a trainer (a work item on {@code stipple.work.model-import},
 * the upload already in the object store) and their events as the trainer reports them, for the import tests.
 */
final class ImportJobs {

    private static final Duration PATIENCE = Duration.ofSeconds(300);
    private static KafkaCompanion kafka;
    private static ConsumerTask<String, String> events;

    private final ObjectStore store;
    private final ModelRegistry registry;

    ImportJobs(String bootstrap, ObjectStore store, ModelRegistry registry) {
        synchronized (ImportJobs.class) {
            if (kafka == null) {
                kafka = new KafkaCompanion(bootstrap);
                events = kafka.consumeStrings().fromTopics(Topics.JOBS_EVENTS);
            }
        }
        this.store = store;
        this.registry = registry;
    }

    /** Stores {@code upload} as the tenant's upload and sends the work item; {@code spec} names the upload's key. */
    UUID submit(String tenant, Path upload, Spec spec) throws Exception {
        UUID jobId = UUID.randomUUID();
        String key = "imports/" + tenant + "/" + jobId + "/upload";
        byte[] bytes = Files.readAllBytes(upload);
        store.put(key, bytes, "application/octet-stream");
        ModelImportSpec built = spec.of(key, bytes.length);
        ModelImportWorkItem item = new ModelImportWorkItem(SchemaVersion.CURRENT, jobId, tenant, 1, 3, Instant.now(), built,
                ObjectKeys.modelPrefix(built.model().name(), built.model().version()), 1000, Instant.now().plusSeconds(120));
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.WORK_MODEL_IMPORT, jobId.toString(),
                new String(ContractsJson.write(item), StandardCharsets.UTF_8))).awaitCompletion();
        return jobId;
    }

    /** The spec of an upload stored under {@code key} with {@code bytes} bytes. */
    interface Spec {
        ModelImportSpec of(String key, long bytes);
    }

    static List<JobEvent> eventsOf(UUID jobId) {
        return events.getRecords().stream().filter(r -> jobId.toString().equals(r.key()))
                .map(r -> ContractsJson.read(r.value(), JobEvent.class)).toList();
    }

    static <E extends JobEvent> E awaitTerminal(UUID jobId, Class<E> type) {
        JobEvent terminal = await().atMost(PATIENCE).until(() -> eventsOf(jobId).stream()
                .filter(e -> e instanceof JobSucceeded || e instanceof JobFailed).findFirst(), Optional::isPresent).get();
        assertTrue(type.isInstance(terminal), "expected " + type.getSimpleName() + ", got " + terminal);
        return type.cast(terminal);
    }

    /** The job failed for good, its reason containing {@code fragment}. */
    static JobFailed assertReason(UUID jobId, String fragment) {
        JobFailed failed = awaitTerminal(jobId, JobFailed.class);
        assertFalse(failed.retryable(), failed.reason());
        assertTrue(failed.reason().contains(fragment), "\"" + fragment + "\" not in: " + failed.reason());
        return failed;
    }

    void assertNothingRegistered(String name, String version) {
        assertTrue(registry.find(name, version).isEmpty(), "a row for " + name + "@" + version);
        assertTrue(store.list(ObjectKeys.modelPrefix(name, version)).isEmpty(), "files under " + name + "@" + version);
    }
}
