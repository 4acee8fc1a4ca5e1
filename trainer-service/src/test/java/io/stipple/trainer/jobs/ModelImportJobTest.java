package io.stipple.trainer.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.SchemaVersion;
import io.stipple.contracts.Topics;
import io.stipple.contracts.event.JobEvent;
import io.stipple.contracts.event.JobFailed;
import io.stipple.contracts.event.JobProgress;
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.contracts.spec.ModelImportFormat;
import io.stipple.contracts.spec.ModelImportSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.work.ModelImportWorkItem;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.stack.test.StippleStackResource;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import io.stipple.storage.ObjectTrees;
import io.stipple.trainer.imports.Archives;
import io.stipple.trainer.imports.ContentHash;
import io.stipple.trainer.imports.ImportedModel;
import io.stipple.trainer.registry.ModelRegistry;
import io.stipple.trainer.registry.ModelVersion;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Model imports over the real stack (Kafka, Postgres, S3): a work item naming an upload in the
 * object store becomes a registered version under {@code models/{name}/{version}/} that the engine
 * opens, or a failure for good that names what is wrong and leaves no row and no file behind.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ModelImportJobTest {

    private static final Duration PATIENCE = Duration.ofSeconds(300);
    private static final Path SD_TINY = Path.of("..", "test-fixtures", "sd-tiny");
    private static final Path PIPELINE = SD_TINY.resolve("tiny-sd-pipeline");
    private static KafkaCompanion kafka;
    private static ConsumerTask<String, String> events;

    @Inject
    ObjectStore store;

    @Inject
    ModelRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeEach
    void connect() {
        if (kafka == null) {
            kafka = new KafkaCompanion(bootstrap);
            events = kafka.consumeStrings().fromTopics(Topics.JOBS_EVENTS);
        }
    }

    private UUID submit(String tenant, String model, ModelImportFormat format, Path upload) throws Exception {
        return submit(tenant, model, format, upload, null);
    }

    private UUID submit(String tenant, String model, ModelImportFormat format, Path upload, Integer textEncoderHeads)
            throws Exception {
        UUID jobId = UUID.randomUUID();
        String key = "imports/" + tenant + "/" + jobId + "/upload";
        byte[] bytes = Files.readAllBytes(upload);
        store.put(key, bytes, "application/octet-stream");
        ModelImportSpec spec = new ModelImportSpec(ModelRef.parse(model), format, key, bytes.length, null, null,
                textEncoderHeads, null, null, null);
        ModelImportWorkItem item = new ModelImportWorkItem(SchemaVersion.CURRENT, jobId, tenant, 1, 3, Instant.now(), spec,
                "models/" + spec.model().name() + "/" + spec.model().version() + "/", 1000, Instant.now().plusSeconds(120));
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.WORK_MODEL_IMPORT, jobId.toString(),
                new String(ContractsJson.write(item), StandardCharsets.UTF_8))).awaitCompletion();
        return jobId;
    }

    private static List<JobEvent> eventsOf(UUID jobId) {
        return events.getRecords().stream().filter(r -> jobId.toString().equals(r.key()))
                .map(r -> ContractsJson.read(r.value(), JobEvent.class)).toList();
    }

    private static <E extends JobEvent> E awaitTerminal(UUID jobId, Class<E> type) {
        JobEvent terminal = await().atMost(PATIENCE).until(() -> eventsOf(jobId).stream()
                .filter(e -> e instanceof JobSucceeded || e instanceof JobFailed).findFirst(), Optional::isPresent).get();
        assertTrue(type.isInstance(terminal), "expected " + type.getSimpleName() + ", got " + terminal);
        return type.cast(terminal);
    }

    private void assertNothingRegistered(String name, String version) {
        assertTrue(registry.find(name, version).isEmpty(), "a row for " + name + "@" + version);
        assertTrue(store.list(ObjectKeys.modelPrefix(name, version)).isEmpty(), "files under " + name + "@" + version);
    }

    @Test
    void aDiffusersArchiveBecomesAVersionTheEngineOpens() throws Exception {
        Path archive = Archives.tarGz(PIPELINE, "tiny-sd", Files.createTempDirectory("imp").resolve("tiny.tgz"));
        UUID jobId = submit("acme", "tiny-sd@1", ModelImportFormat.DIFFUSERS, archive);

        JobSucceeded done = awaitTerminal(jobId, JobSucceeded.class);
        assertEquals(ModelRef.parse("tiny-sd@1"), done.producedModel());
        assertEquals(List.of("fetch", "unpack", "validate", "store"), eventsOf(jobId).stream()
                .filter(JobProgress.class::isInstance).map(e -> ((JobProgress) e).progress().stage()).toList());

        ModelVersion row = registry.find("tiny-sd", "1").orElseThrow();
        assertTrue(row.ready());
        assertEquals("acme", row.tenantId());
        assertEquals(jobId, row.jobId());
        JsonNode record = new ObjectMapper().readTree(row.card());
        Path downloaded = Files.createTempDirectory("back").resolve("tiny-sd").resolve("1");
        ObjectTrees.download(store, ObjectKeys.modelPrefix("tiny-sd", "1"), downloaded);
        Files.delete(downloaded.resolve(ImportedModel.RECORD_FILE));
        ContentHash.Summary original = ContentHash.of(PIPELINE);
        assertEquals(original.sha256(), record.get("content_sha256").asText(), "the stored files are the uploaded ones");
        assertEquals(original.sha256(), ContentHash.of(downloaded).sha256());
        assertEquals(original.bytes(), row.sizeBytes());
        try (DiffusionModel engine = DiffusionModels.open(PIPELINE)) {
            assertEquals("stable_diffusion", record.get("family").asText());
            assertEquals(engine.defaults().nativeSize().width(), record.get("native_resolution").asInt());
            assertEquals(engine.schedulerConfig().className(), record.get("default_scheduler").asText());
            assertEquals("epsilon", record.get("prediction_type").asText());
            assertEquals((double) engine.defaults().nativeSize().width(), done.metrics().get("native_resolution"));
        }
        try (DiffusionModel imported = DiffusionModels.open(downloaded)) {
            assertEquals("1", imported.identity().version());
        }

        // The same name@version from another tenant: refused, and tenant acme's version stays as it was.
        UUID clash = submit("globex", "tiny-sd@1", ModelImportFormat.DIFFUSERS, archive);
        JobFailed failed = awaitTerminal(clash, JobFailed.class);
        assertFalse(failed.retryable());
        assertTrue(failed.reason().contains("tiny-sd@1 is already registered"), failed.reason());
        assertEquals(jobId, registry.find("tiny-sd", "1").orElseThrow().jobId());
        assertFalse(store.list(ObjectKeys.modelPrefix("tiny-sd", "1")).isEmpty());
    }

    @Test
    void brokenUploadsFailForGoodAndLeaveNothing() throws Exception {
        Path dir = Files.createTempDirectory("imp-broken");
        byte[] whole = Files.readAllBytes(Archives.tarGz(PIPELINE, "tiny-sd", dir.resolve("whole.tgz")));
        Path truncated = Files.write(dir.resolve("cut.tgz"), Arrays.copyOf(whole, whole.length * 2 / 3));

        // Mislabelled: the U-Net folder holds the VAE's weights.
        Path swapped = dir.resolve("swapped");
        copyTree(PIPELINE, swapped);
        Files.copy(PIPELINE.resolve("vae/diffusion_pytorch_model.safetensors"),
                swapped.resolve("unet/diffusion_pytorch_model.safetensors"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path mislabelled = Archives.tarGz(swapped, "tiny-sd", dir.resolve("swapped.tgz"));
        Path noIndex = Archives.zip(dir.resolve("noindex.zip"), List.of(Archives.Entry.file("unet/config.json", "{}")));
        Path traversal = Archives.zip(dir.resolve("evil.zip"), List.of(Archives.Entry.file("../../evil", "x")));

        UUID cut = submit("acme", "broken@cut", ModelImportFormat.DIFFUSERS, truncated);
        UUID wrong = submit("acme", "broken@swapped", ModelImportFormat.DIFFUSERS, mislabelled);
        UUID empty = submit("acme", "broken@noindex", ModelImportFormat.DIFFUSERS, noIndex);
        UUID evil = submit("acme", "broken@evil", ModelImportFormat.DIFFUSERS, traversal);
        UUID lora = submit("acme", "broken@lora-as-checkpoint", ModelImportFormat.SINGLE_FILE,
                SD_TINY.resolve("lora_kohya.safetensors"));

        assertReason(cut, "truncated or corrupt");
        assertReason(wrong, "unet");
        assertReason(empty, "model_index.json");
        assertReason(evil, "../../evil");
        assertReason(lora, "lora_");
        for (String version : List.of("cut", "swapped", "noindex", "evil", "lora-as-checkpoint")) {
            assertNothingRegistered("broken", version);
        }
    }

    @Test
    void aSingleFileCheckpointIsValidatedAndStored() throws Exception {
        // The tiny text encoder's 32 channels are 4 heads of 8, not SD's 64-channel heads: stated, as a user would.
        UUID jobId = submit("acme", "tiny-single@1", ModelImportFormat.SINGLE_FILE, SD_TINY.resolve("tiny-sd-a1111.safetensors"), 4);
        JobSucceeded done = awaitTerminal(jobId, JobSucceeded.class);
        assertEquals(ModelRef.parse("tiny-single@1"), done.producedModel());
        JsonNode record = new ObjectMapper().readTree(registry.find("tiny-single", "1").orElseThrow().card());
        assertEquals("single_file", record.get("format").asText());
        assertEquals("sd1", record.get("variant").asText());
        assertEquals(512, record.get("native_resolution").asInt());
        assertTrue(store.exists(ObjectKeys.model("tiny-single", "1", "model.safetensors")));
    }

    private static void assertReason(UUID jobId, String fragment) {
        JobFailed failed = awaitTerminal(jobId, JobFailed.class);
        assertFalse(failed.retryable(), failed.reason());
        assertTrue(failed.reason().contains(fragment), "\"" + fragment + "\" not in: " + failed.reason());
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
