package io.stipple.trainer.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.contracts.event.JobCanceled;
import io.stipple.contracts.event.JobFailed;
import io.stipple.contracts.event.JobOutput;
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.contracts.model.ImportRecords;
import io.stipple.contracts.model.ImportedModel;
import io.stipple.contracts.spec.FineTuneMethod;
import io.stipple.contracts.spec.FineTuneSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.spec.PriorPreservation;
import io.stipple.contracts.work.FineTuneWorkItem;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.fixtures.SdTiny;
import io.stipple.engine.image.PngCodec;
import io.stipple.engine.image.RgbImage;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.pipeline.PromptSampler;
import io.stipple.engine.pipeline.SamplerChoice;
import io.stipple.engine.sd.lora.LoraFile;
import io.stipple.engine.sd.lora.ScaledLora;
import io.stipple.engine.sd.train.LoraSpec;
import io.stipple.engine.sd.train.LoraTrainingConfig;
import io.stipple.engine.sd.train.LoraWeights;
import io.stipple.engine.sd.train.UNetLoraTrainer;
import io.stipple.engine.training.BlobCheckpointStore;
import io.stipple.engine.training.TrainingRun;
import io.stipple.stack.test.StippleStackResource;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import io.stipple.storage.ObjectTrees;
import io.stipple.trainer.config.TrainerConfig;
import io.stipple.trainer.job.SdLoraFineTune;
import io.stipple.trainer.registry.ModelRegistry;
import io.stipple.trainer.registry.ModelVersion;
import io.stipple.trainer.storage.ObjectStoreBlobs;
import io.stipple.workbench.data.SceneRenderer;
import io.stipple.workbench.data.Subject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DreamBooth-LoRA on an imported Stable Diffusion base, through trainer-service over the real stack
 * (Kafka, Postgres, S3). The base is the tiny SD 1.x pipeline stored as a diffusers import stores it
 * ({@code models/sd-tiny/1/} with {@code stipple-import.json}); the instance images are three renders of
 * the built-in subject, uploaded as the gateway would. Prior preservation on, rank 4.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SdFineTuneJobTest {

    private static final String TENANT = "sd-tenant";
    private static final String BASE = "sd-tiny@1";
    private static final int RANK = 4;
    private static final double LEARNING_RATE = 1e-3;
    private static boolean prepared;
    private static FineTuneTraffic traffic;

    @Inject
    ObjectStore store;

    @Inject
    ModelRegistry registry;

    @Inject
    TrainerConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeEach
    void prepare() throws Exception {
        if (prepared) {
            return;
        }
        String prefix = ObjectKeys.modelPrefix("sd-tiny", "1");
        ObjectTrees.upload(store, SdTiny.SD1, prefix);
        storeRecord(prefix, new ImportedModel("diffusers", "stable_diffusion", null, 256, "epsilon", "PNDMScheduler",
                null, "0".repeat(64), 0, null, null));
        // what a LoRA import (or an earlier SD fine-tune) leaves: no pipeline, only adapters and the record
        storeRecord(ObjectKeys.modelPrefix("sd-lora", "1"),
                new ImportedModel("lora", "stable_diffusion", null, 0, null, null, BASE, "0".repeat(64), 0, 68, RANK));
        for (int i = 0; i < 3; i++) {
            byte[] png = PngCodec.encode(RgbImage.square(64, SceneRenderer.render(Subject.instances(3).get(i), 64)), Map.of());
            store.put(ObjectKeys.upload(TENANT, "subject", i + ".png"), png, "image/png");
        }
        traffic = new FineTuneTraffic(bootstrap, TENANT);
        prepared = true;
    }

    private void storeRecord(String prefix, ImportedModel record) throws Exception {
        store.put(prefix + ImportedModel.RECORD_FILE, ImportRecords.toJson(record).getBytes(StandardCharsets.UTF_8),
                "application/json");
    }

    private static FineTuneSpec spec(String base, FineTuneMethod method, boolean trainTextEncoder, int steps) {
        return new FineTuneSpec(ModelRef.parse(base), "subject", "sks", "star", new PriorPreservation(true, 2, 1.0), steps,
                LEARNING_RATE, 1, 5, trainTextEncoder, method, method == FineTuneMethod.LORA ? RANK : null, "sd-sks", null,
                null);
    }

    /**
     * Attempt 1 is stopped after a checkpoint and its local work deleted (a lost trainer); attempt 2
     * resumes from the object store and registers the LoRA as agreed for SD LoRA versions (method
     * {@code lora}, the base's {@code name@version}, {@code lora.safetensors} beside {@code stipple-import.json}).
     * Over the base, the file changes the image, and the base's own image stays bit for bit what it was; its
     * adapters are bit for bit the trainer's (the final checkpoint restored into a fresh trainer), and the kohya
     * file gives the same image as the diffusers one.
     */
    @Test
    void aResumedFineTuneRegistersALoraThatChangesTheImageAndNotTheBase() throws Exception {
        UUID jobId = UUID.randomUUID();
        FineTuneSpec spec = spec(BASE, FineTuneMethod.LORA, false, 40);
        FineTuneWorkItem item = traffic.submit(spec, jobId, 1);
        traffic.awaitTrainingPast(jobId, 1, config.checkpointEvery());
        traffic.cancelUntilEnded(jobId, 1);
        assertTrue(traffic.eventsOf(jobId, 1).stream().anyMatch(JobCanceled.class::isInstance),
                "attempt 1 stopped before its end (else the machine was too fast for this test's 40 steps)");
        FineTuneTraffic.deleteRecursively(config.workDir().resolve("jobs").resolve(jobId.toString()));

        traffic.submit(spec, jobId, 2);
        JobSucceeded succeeded = traffic.awaitEvent(jobId, 2, JobSucceeded.class);
        int firstStep = traffic.training(jobId, 2).get(0).progress().step();
        assertTrue(firstStep > config.checkpointEvery(), "attempt 2 began at step " + firstStep
                + ", after a checkpoint of attempt 1");

        ModelRef produced = new ModelRef("sd-sks", jobId.toString());
        assertEquals(produced, succeeded.producedModel());
        List<String> keys = succeeded.outputs().stream().map(JobOutput::key).sorted().toList();
        assertEquals(List.of(item.outputPrefix() + ImportedModel.LORA_FILE, item.outputPrefix() + SdLoraFineTune.KOHYA_FILE,
                item.outputPrefix() + ImportedModel.RECORD_FILE).stream().sorted().toList(), keys);
        assertEquals(3.0, succeeded.metrics().get("instance_images"));
        ModelVersion registered = registry.find("sd-sks", jobId.toString()).orElseThrow();
        assertEquals("lora", registered.method());
        assertEquals(BASE, registered.baseModel());
        assertEquals(TENANT, registered.tenantId());
        ImportedModel record = ImportRecords.fromJson(new String(store.get(item.outputPrefix() + ImportedModel.RECORD_FILE),
                StandardCharsets.UTF_8));
        assertEquals("lora", record.format());
        assertEquals(BASE, record.baseModel());
        assertEquals(RANK, record.rank());
        assertEquals(record, ImportRecords.fromJson(registered.card()));

        Path downloaded = Files.createTempDirectory("sd-lora");
        ObjectTrees.download(store, item.outputPrefix(), downloaded);
        Path trainedState = Files.createTempDirectory("sd-lora-state");
        assertTrue(new BlobCheckpointStore(new ObjectStoreBlobs(store, item.checkpointPrefix())).fetch(trainedState));
        LoraSpec loraSpec = LoraSpec.unetAttention(RANK);
        try (DiffusionModel base = DiffusionModels.open(SdTiny.SD1);
                UNetLoraTrainer trainer = UNetLoraTrainer.load(SdTiny.SD1.resolve("unet"),
                        LoraTrainingConfig.dreamBooth(loraSpec, LEARNING_RATE), null);
                LoraFile diffusers = base.openLora(downloaded.resolve(ImportedModel.LORA_FILE));
                LoraFile kohya = base.openLora(downloaded.resolve(SdLoraFineTune.KOHYA_FILE))) {
            trainer.restore(trainedState.resolve(TrainingRun.CHECKPOINT_DIR));
            assertEquals(40, trainer.step());
            LoraWeights trained = trainer.lora();
            LoraWeights exported = LoraWeights.from(diffusers, loraSpec);
            assertEquals(trained.layers().keySet(), exported.layers().keySet());
            trained.layers().forEach((module, layer) -> {
                assertArrayEquals(layer.down(), exported.layers().get(module).down(), module);
                assertArrayEquals(layer.up(), exported.layers().get(module).up(), module);
            });

            float[] baseBefore = render(base);
            float[] tuned;
            try (DiffusionModel view = base.withLoras(List.of(new ScaledLora(diffusers, 1)))) {
                tuned = render(view);
            }
            float[] throughKohya;
            try (DiffusionModel view = base.withLoras(List.of(new ScaledLora(kohya, 1)))) {
                throughKohya = render(view);
            }
            float[] baseAfter = render(base);
            assertTrue(SdTiny.maxAbsDiff(baseBefore, tuned) > 1e-3, "the LoRA changes the image: max |diff| "
                    + SdTiny.maxAbsDiff(baseBefore, tuned));
            assertArrayEquals(baseBefore, baseAfter, "the base's own image is unchanged");
            assertTrue(SdTiny.maxAbsDiff(tuned, throughKohya) < 1e-5, "kohya and diffusers files give the same image: "
                    + SdTiny.maxAbsDiff(tuned, throughKohya));
        }
    }

    /** What SD cannot train, and bases that are no pipeline, fail at once and for good, saying why. */
    @Test
    void settingsAndBasesStableDiffusionCannotTrainFailWithoutRetry() {
        UUID full = UUID.randomUUID();
        UUID textEncoder = UUID.randomUUID();
        UUID loraBase = UUID.randomUUID();
        traffic.submit(spec(BASE, FineTuneMethod.FULL, false, 2), full, 1);
        traffic.submit(spec(BASE, FineTuneMethod.LORA, true, 2), textEncoder, 1);
        traffic.submit(spec("sd-lora@1", FineTuneMethod.LORA, false, 2), loraBase, 1);

        JobFailed fullFailed = traffic.awaitEvent(full, 1, JobFailed.class);
        assertFalse(fullFailed.retryable());
        assertTrue(fullFailed.reason().contains("method must be lora"), fullFailed.reason());
        JobFailed textEncoderFailed = traffic.awaitEvent(textEncoder, 1, JobFailed.class);
        assertFalse(textEncoderFailed.retryable());
        assertTrue(textEncoderFailed.reason().contains("train_text_encoder must be false"), textEncoderFailed.reason());
        JobFailed loraFailed = traffic.awaitEvent(loraBase, 1, JobFailed.class);
        assertFalse(loraFailed.retryable());
        assertTrue(loraFailed.reason().contains("sd-lora@1 is a LoRA version; fine-tune its base " + BASE),
                loraFailed.reason());
    }

    /** A 3-step DDIM image of the instance prompt at the pipeline's native size, same seed every time. */
    private static float[] render(DiffusionModel model) {
        return new PromptSampler(model, SamplerChoice.parse("ddim"), 3, 7.5, false)
                .sample(List.of("a sks star"), "", 11, 0);
    }
}
