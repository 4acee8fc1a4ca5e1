package io.stipple.trainer.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.contracts.event.JobFailed;
import io.stipple.contracts.event.JobProgress;
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.contracts.model.ImportedModel;
import io.stipple.contracts.spec.ModelImportFormat;
import io.stipple.contracts.spec.ModelImportSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.stack.test.StippleStackResource;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import io.stipple.storage.ObjectTrees;
import io.stipple.trainer.imports.Archives;
import io.stipple.trainer.imports.ContentHash;
import io.stipple.trainer.registry.ModelRegistry;
import io.stipple.trainer.registry.ModelVersion;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
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

    private static final Path SD_TINY = Path.of("..", "test-fixtures", "sd-tiny");
    private static final Path PIPELINE = SD_TINY.resolve("tiny-sd-pipeline");

    @Inject
    ObjectStore store;

    @Inject
    ModelRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    ImportJobs jobs;

    @BeforeEach
    void connect() {
        jobs = new ImportJobs(bootstrap, store, registry);
    }

    private UUID submit(String tenant, String model, ModelImportFormat format, Path upload) throws Exception {
        return submit(tenant, model, format, upload, null);
    }

    private UUID submit(String tenant, String model, ModelImportFormat format, Path upload, Integer textEncoderHeads)
            throws Exception {
        return jobs.submit(tenant, upload, (key, bytes) -> new ModelImportSpec(ModelRef.parse(model), format, key, bytes,
                null, null, textEncoderHeads, null, null, null));
    }

    private void assertNothingRegistered(String name, String version) {
        jobs.assertNothingRegistered(name, version);
    }

    @Test
    void aDiffusersArchiveBecomesAVersionTheEngineOpens() throws Exception {
        Path archive = Archives.tarGz(PIPELINE, "tiny-sd", Files.createTempDirectory("imp").resolve("tiny.tgz"));
        UUID jobId = submit("acme", "tiny-sd@1", ModelImportFormat.DIFFUSERS, archive);

        JobSucceeded done = ImportJobs.awaitTerminal(jobId, JobSucceeded.class);
        assertEquals(ModelRef.parse("tiny-sd@1"), done.producedModel());
        assertEquals(List.of("fetch", "unpack", "validate", "store"), ImportJobs.eventsOf(jobId).stream()
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
        JobFailed failed = ImportJobs.awaitTerminal(clash, JobFailed.class);
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

        ImportJobs.assertReason(cut, "truncated or corrupt");
        ImportJobs.assertReason(wrong, "unet");
        ImportJobs.assertReason(empty, "model_index.json");
        ImportJobs.assertReason(evil, "../../evil");
        ImportJobs.assertReason(lora, "lora_");
        for (String version : List.of("cut", "swapped", "noindex", "evil", "lora-as-checkpoint")) {
            assertNothingRegistered("broken", version);
        }
    }

    @Test
    void aSingleFileCheckpointIsValidatedAndStored() throws Exception {
        // The tiny text encoder's 32 channels are 4 heads of 8, not SD's 64-channel heads: stated, as a user would.
        UUID jobId = submit("acme", "tiny-single@1", ModelImportFormat.SINGLE_FILE, SD_TINY.resolve("tiny-sd-a1111.safetensors"), 4);
        JobSucceeded done = ImportJobs.awaitTerminal(jobId, JobSucceeded.class);
        assertEquals(ModelRef.parse("tiny-single@1"), done.producedModel());
        JsonNode record = new ObjectMapper().readTree(registry.find("tiny-single", "1").orElseThrow().card());
        assertEquals("single_file", record.get("format").asText());
        assertEquals("sd1", record.get("variant").asText());
        assertEquals(512, record.get("native_resolution").asInt());
        assertEquals(4, record.get("text_encoder_heads").asInt(), "stated, for the worker to load the file with");
        assertTrue(store.exists(ObjectKeys.model("tiny-single", "1", "model.safetensors")));
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
