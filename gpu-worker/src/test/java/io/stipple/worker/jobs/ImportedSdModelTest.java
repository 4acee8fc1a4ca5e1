package io.stipple.worker.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

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
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.contracts.model.ImportRecords;
import io.stipple.contracts.model.ImportedModel;
import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.spec.Sampler;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.engine.image.PngCodec;
import io.stipple.engine.image.PngImage;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.pipeline.GenerationPipeline;
import io.stipple.engine.pipeline.StepListener;
import io.stipple.stack.test.StippleStackResource;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import io.stipple.storage.ObjectTrees;
import io.stipple.worker.mapping.GenerationRequests;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A Stable Diffusion model laid out as a model import stores it ({@code models/{name}/{version}/}:
 * the diffusers folder's files as uploaded, plus {@code stipple-import.json}; trainer-service's
 * ModelImportJobTest shows the stored files hash equal to the uploaded folder) renders through the
 * worker's model cache exactly as the engine renders the same folder for the same request and seed.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class ImportedSdModelTest {

    private static final Path PIPELINE = Path.of("..", "test-fixtures", "sd-tiny", "tiny-sd-pipeline");
    private static final ModelRef IMPORTED = ModelRef.parse("imported-sd@1");
    private static final String TENANT = "acme";

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void anImportedDiffusersFolderRendersAsTheEngineRendersIt() throws Exception {
        String prefix = ObjectKeys.modelPrefix(IMPORTED.name(), IMPORTED.version());
        ObjectTrees.upload(store, PIPELINE, prefix);
        store.put(prefix + ImportedModel.RECORD_FILE, ImportRecords.toJson(ImportedModel.checkpoint("diffusers", null, 32,
                "epsilon", "PNDMScheduler")).getBytes(StandardCharsets.UTF_8), "application/json");
        GenerationSpec spec = new GenerationSpec("a photo of a cat", "", 1, 17, Sampler.DDIM, null, 4, 3.0, 0.0, null,
                null, null, null, null, IMPORTED, null, null, null);

        byte[] served;
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            ConsumerTask<String, String> events = kafka.consumeStrings().fromTopics(Topics.JOBS_EVENTS);
            UUID jobId = UUID.randomUUID();
            GenerationWorkItem item = new GenerationWorkItem(SchemaVersion.CURRENT, jobId, TENANT, 1, 3, Instant.now(),
                    spec, ObjectKeys.resultsPrefix(TENANT, jobId.toString()), 1000, Instant.now().plusSeconds(120));
            kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.WORK_GENERATION, jobId.toString(),
                    new String(ContractsJson.write(item), StandardCharsets.UTF_8))).awaitCompletion();
            JobEvent end = await().atMost(Duration.ofSeconds(300)).until(() -> events.getRecords().stream()
                    .filter(r -> jobId.toString().equals(r.key())).map(r -> ContractsJson.read(r.value(), JobEvent.class))
                    .filter(e -> e instanceof JobSucceeded || e instanceof JobFailed).findFirst(), Optional::isPresent).get();
            JobSucceeded succeeded = assertInstanceOf(JobSucceeded.class, end, end.toString());
            served = store.get(succeeded.outputs().get(0).key());
        }

        byte[] engine;
        try (DiffusionModel model = DiffusionModels.open(PIPELINE)) {
            engine = new GenerationPipeline(model).generate(GenerationRequests.fromSpec(spec), StepListener.NONE).get(0).png();
        }
        PngImage servedImage = PngCodec.decode(served);
        PngImage engineImage = PngCodec.decode(engine);
        // No size asked: the model's native one, the U-Net's sample_size 32 times the VAE's factor 8.
        assertEquals(256, servedImage.image().width());
        assertArrayEquals(engineImage.image().pixels(), servedImage.image().pixels(), "pixel for pixel the engine's image");
    }
}
