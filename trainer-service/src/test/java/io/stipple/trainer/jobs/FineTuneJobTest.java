package io.stipple.trainer.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stipple.contracts.event.JobCanceled;
import io.stipple.contracts.event.JobFailed;
import io.stipple.contracts.event.JobOutput;
import io.stipple.contracts.event.JobProgress;
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.contracts.spec.FineTuneMethod;
import io.stipple.contracts.spec.FineTuneSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.spec.PriorPreservation;
import io.stipple.contracts.work.FineTuneWorkItem;
import io.stipple.workbench.data.SceneRenderer;
import io.stipple.workbench.data.Subject;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.export.StippleModel;
import io.stipple.engine.export.TinyModels;
import io.stipple.engine.image.PngCodec;
import io.stipple.engine.image.RgbImage;
import io.stipple.engine.text.Tokenizer;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import io.stipple.storage.ObjectTrees;
import io.stipple.trainer.config.TrainerConfig;
import io.stipple.trainer.job.FineTuneRunner;
import io.stipple.trainer.registry.ModelRegistry;
import io.stipple.trainer.registry.ModelVersion;
import io.stipple.stack.test.StippleStackResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * trainer-service over the real stack (Kafka, Postgres, S3): a fine-tune work item becomes events,
 * a model version in the object store, a row in the registry, and a model the engine loads. The
 * base is a tiny untrained model uploaded as {@code tiny@1}; instance images are renders of the
 * built-in subject uploaded as the gateway would.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class FineTuneJobTest {

    private static final String TENANT = "acme";
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
        Path base = Files.createTempDirectory("tiny-base");
        Tokenizer tokenizer = TinyModels.tokenizer();
        TinyModels.exportUntrained(TinyModels.textModel(tokenizer.vocabulary().size()), tokenizer, base);
        ObjectTrees.upload(store, base, ObjectKeys.modelPrefix("tiny", "1"));
        for (int i = 0; i < 3; i++) {
            byte[] png = PngCodec.encode(RgbImage.square(16, SceneRenderer.render(Subject.instances(3).get(i), 16)), Map.of());
            store.put(ObjectKeys.upload(TENANT, "subject", i + ".png"), png, "image/png");
            if (i < 2) {
                store.put(ObjectKeys.upload(TENANT, "two", i + ".png"), png, "image/png");
            }
            store.put(ObjectKeys.upload(TENANT, "broken", i + ".png"),
                    i == 1 ? "not an image".getBytes(StandardCharsets.UTF_8) : png, "image/png");
        }
        traffic = new FineTuneTraffic(bootstrap, TENANT);
        prepared = true;
    }

    private static FineTuneSpec spec(String upload, String base, FineTuneMethod method, int steps) {
        return new FineTuneSpec(ModelRef.parse(base), upload, "sks", "star", new PriorPreservation(true, 2, 1.0), steps,
                1e-3, 1, 5, false, method, method == FineTuneMethod.LORA ? 2 : null, "tiny-sks", null, null);
    }

    @Test
    void aLoraFineTuneRegistersAVersionThatLoadsOverItsBase() throws Exception {
        UUID jobId = UUID.randomUUID();
        FineTuneWorkItem item = traffic.submit(spec("subject", "tiny@1", FineTuneMethod.LORA, 4), jobId, 1);
        JobSucceeded succeeded = traffic.awaitEvent(jobId, 1, JobSucceeded.class);

        ModelRef produced = new ModelRef("tiny-sks", jobId.toString());
        assertEquals(produced, succeeded.producedModel());
        List<String> keys = succeeded.outputs().stream().map(JobOutput::key).toList();
        assertTrue(keys.contains(item.outputPrefix() + StippleModel.ADAPTERS_FILE), keys.toString());
        assertTrue(keys.contains(item.outputPrefix() + "model_card.json"), keys.toString());
        assertFalse(keys.stream().anyMatch(k -> k.contains("saved_model")), "a LoRA version holds no copy of its base");
        assertEquals(3.0, succeeded.metrics().get("instance_images"));

        List<JobProgress> steps = traffic.training(jobId, 1);
        assertFalse(steps.isEmpty());
        JobProgress last = steps.get(steps.size() - 1);
        assertEquals(4, last.progress().step());
        assertEquals(4, last.progress().total());
        assertNotNull(last.progress().loss());
        assertTrue(traffic.eventsOf(jobId, 1).stream().anyMatch(e -> e instanceof JobProgress p
                && p.progress().stage().equals(FineTuneRunner.CLASS_IMAGES)));

        ModelVersion registered = registry.find("tiny-sks", jobId.toString()).orElseThrow();
        assertEquals("lora", registered.method());
        assertEquals("tiny@1", registered.baseModel());
        assertEquals(TENANT, registered.tenantId());
        assertEquals(item.outputPrefix(), registered.objectPrefix());

        Path root = Files.createTempDirectory("downloaded");
        ObjectTrees.download(store, ObjectKeys.modelPrefix("tiny", "1"), root.resolve("tiny/1"));
        ObjectTrees.download(store, item.outputPrefix(), root.resolve("tiny-sks/" + jobId));
        try (StippleModel model = StippleModel.open(root.resolve("tiny-sks/" + jobId), root)) {
            assertTrue(model.adapted());
            float[] out = model.denoiser().predict(Tensor.of(new float[8 * 8 * 3], 1, 8, 8, 3), new float[] {10},
                    model.conditioning(List.of("a sks star")));
            assertEquals(8 * 8 * 3, out.length);
        }
    }

    @Test
    void inputThatCannotTrainFailsWithoutRetry() {
        UUID tooFew = UUID.randomUUID();
        UUID unreadable = UUID.randomUUID();
        UUID unknownBase = UUID.randomUUID();
        traffic.submit(spec("two", "tiny@1", FineTuneMethod.FULL, 2), tooFew, 1);
        traffic.submit(spec("broken", "tiny@1", FineTuneMethod.FULL, 2), unreadable, 1);
        traffic.submit(spec("subject", "nope@1", FineTuneMethod.FULL, 2), unknownBase, 1);

        JobFailed few = traffic.awaitEvent(tooFew, 1, JobFailed.class);
        assertFalse(few.retryable());
        assertTrue(few.reason().contains("holds 2 images"), few.reason());
        JobFailed broken = traffic.awaitEvent(unreadable, 1, JobFailed.class);
        assertFalse(broken.retryable());
        assertTrue(broken.reason().contains("1.png") && broken.reason().contains("unreadable"), broken.reason());
        JobFailed unknown = traffic.awaitEvent(unknownBase, 1, JobFailed.class);
        assertFalse(unknown.retryable());
        assertTrue(unknown.reason().contains("unknown base model nope@1"), unknown.reason());
        assertTrue(registry.find("tiny-sks", tooFew.toString()).isEmpty());
    }

    /**
     * What a trainer that dies mid-run leaves: checkpoints in the object store and nothing usable
     * locally (another trainer takes the next attempt). Attempt 1 is stopped after a checkpoint;
     * its local work folder is deleted; attempt 2 resumes from the object store instead of step 0.
     * On the way, the held-job cap: a job submitted while attempt 1 trains is not taken (not even
     * heartbeated) until attempt 1 ends, since this trainer runs one job at a time.
     */
    @Test
    void theNextAttemptResumesFromTheObjectStoreCheckpoint() throws Exception {
        UUID jobId = UUID.randomUUID();
        FineTuneSpec spec = spec("subject", "tiny@1", FineTuneMethod.FULL, 300);
        traffic.submit(spec, jobId, 1);
        traffic.awaitTrainingPast(jobId, 1, config.checkpointEvery());
        UUID waiting = UUID.randomUUID();
        traffic.submit(spec("two", "tiny@1", FineTuneMethod.FULL, 2), waiting, 1);

        traffic.cancelUntilEnded(jobId, 1);
        assertTrue(traffic.eventsOf(jobId, 1).stream().anyMatch(JobCanceled.class::isInstance),
                "attempt 1 stopped before its end (else the machine was too fast for this test's 300 steps)");
        int reached = traffic.training(jobId, 1).stream().mapToInt(p -> p.progress().step()).max().orElseThrow();
        Instant firstEnded = traffic.awaitEvent(jobId, 1, JobCanceled.class).timestamp();
        traffic.awaitEvent(waiting, 1, JobFailed.class);
        Instant waitingTaken = traffic.eventsOf(waiting, 1).get(0).timestamp();
        assertFalse(waitingTaken.isBefore(firstEnded), "max-held-jobs 1: the job submitted during attempt 1 was taken at "
                + waitingTaken + ", before attempt 1 ended at " + firstEnded);
        assertFalse(store.list("checkpoints/" + TENANT + "/" + jobId + "/").isEmpty());
        FineTuneTraffic.deleteRecursively(config.workDir().resolve("jobs").resolve(jobId.toString()));

        traffic.submit(spec, jobId, 2);
        traffic.awaitEvent(jobId, 2, JobSucceeded.class);
        int firstStep = traffic.training(jobId, 2).get(0).progress().step();
        assertTrue(firstStep > config.checkpointEvery(),
                "attempt 2 began at step " + firstStep + ", after a checkpoint of attempt 1 (which reported " + reached + ")");
        assertTrue(registry.find("tiny-sks", jobId.toString()).isPresent());
    }
}
