package io.stipple.worker.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.stipple.contracts.spec.LoraRef;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.spec.Priority;
import io.stipple.contracts.spec.Sampler;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.engine.families.DiffusionModels;
import io.stipple.engine.image.GenerationParameters;
import io.stipple.engine.image.PngCodec;
import io.stipple.engine.model.DiffusionModel;
import io.stipple.engine.pipeline.GenerationPipeline;
import io.stipple.engine.pipeline.StepListener;
import io.stipple.engine.sd.SingleFileOptions;
import io.stipple.engine.sd.StableDiffusionModel;
import io.stipple.engine.sd.lora.LoraFile;
import io.stipple.engine.sd.lora.ScaledLora;
import io.stipple.engine.sd.singlefile.StatedConfig;
import io.stipple.stack.test.StippleStackResource;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import io.stipple.storage.ObjectTrees;
import io.stipple.worker.mapping.GenerationRequests;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stable Diffusion versions as imports store them, served by the worker: a diffusers folder with LoRA
 * versions from both file formats stacked per job ({@code loras}), and a single-file checkpoint loaded with
 * what its import recorded. Each image equals, pixel for pixel, the engine's own image for the same request
 * and seed ({@code withLoras} over the folder, {@code loadSingleFile} with the same stated values); jobs with
 * the same LoRA set share a batch, and the PNG records the set.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class SdLorasAndSingleFilesTest {

    private static final Path SD_TINY = Path.of("..", "test-fixtures", "sd-tiny");
    private static final Path PIPELINE = SD_TINY.resolve("tiny-sd-pipeline");
    private static final Path SINGLE_FILE = SD_TINY.resolve("tiny-sd-a1111.safetensors");
    private static final Path KOHYA = SD_TINY.resolve("lora_kohya.safetensors");
    private static final Path PEFT = SD_TINY.resolve("lora-diffusers/pytorch_lora_weights.safetensors");
    private static final ModelRef BASE = ModelRef.parse("tiny-sd@1");
    private static final ModelRef SINGLE = ModelRef.parse("tiny-single@1");
    private static final ModelRef INK_KOHYA = ModelRef.parse("ink-kohya@1");
    private static final ModelRef INK_PEFT = ModelRef.parse("ink-peft@1");
    /** What the tiny file cannot say, as its import records it: 4 text-encoder heads, trained at 128 here. */
    private static final ImportedModel SINGLE_RECORD = ImportedModel.checkpoint("single_file", "sd1", 128, "epsilon",
            "DDIMScheduler").withTextEncoderHeads(4);
    private static final String TENANT = "acme";
    private static final Duration PATIENCE = Duration.ofSeconds(300);

    private static KafkaCompanion kafka;
    private static ConsumerTask<String, String> events;

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeEach
    void storeAsImportsDo() throws Exception {
        if (kafka != null) {
            return;
        }
        String base = ObjectKeys.modelPrefix(BASE.name(), BASE.version());
        ObjectTrees.upload(store, PIPELINE, base);
        record(base, ImportedModel.checkpoint("diffusers", "sd1", 32, "epsilon", "PNDMScheduler"));
        String single = ObjectKeys.modelPrefix(SINGLE.name(), SINGLE.version());
        store.put(single + ImportedModel.SINGLE_FILE, Files.readAllBytes(SINGLE_FILE), "application/octet-stream");
        record(single, SINGLE_RECORD);
        for (var lora : Map.of(INK_KOHYA, KOHYA, INK_PEFT, PEFT).entrySet()) {
            String prefix = ObjectKeys.modelPrefix(lora.getKey().name(), lora.getKey().version());
            store.put(prefix + ImportedModel.LORA_FILE, Files.readAllBytes(lora.getValue()), "application/octet-stream");
            record(prefix, new ImportedModel("lora", "stable_diffusion", "sd1", 0, null, null, BASE.toString(), null, 0,
                    null, null));
        }
        kafka = new KafkaCompanion(bootstrap);
        events = kafka.consumeStrings().fromTopics(Topics.JOBS_EVENTS);
    }

    @AfterAll
    static void closeKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void lorasOfBothFormatsRenderAsTheEngineRendersThemAndEqualSetsShareABatch() throws Exception {
        GenerationSpec kohya5 = spec(BASE, 5, List.of(new LoraRef(INK_KOHYA, 1.0)));
        GenerationSpec kohya6 = spec(BASE, 6, List.of(new LoraRef(INK_KOHYA, 1.0)));
        GenerationSpec peft5 = spec(BASE, 5, List.of(new LoraRef(INK_PEFT, 0.5)));
        List<UUID> jobs = submit(kohya5, kohya6, peft5);
        List<JobSucceeded> done = jobs.stream().map(id -> assertInstanceOf(JobSucceeded.class, awaitEnd(id))).toList();

        assertEquals(2.0, done.get(0).metrics().get("batch_images"), "the two jobs of one LoRA set share a batch");
        assertEquals(2.0, done.get(1).metrics().get("batch_images"));
        assertEquals(1.0, done.get(2).metrics().get("batch_images"), "another LoRA set samples apart");

        byte[] served = store.get(done.get(0).outputs().get(0).key());
        assertEquals("ink-kohya@1:1.0", GenerationParameters.fromPngText(PngCodec.decode(served).text()).orElseThrow()
                .extra().get("loras"));
        try (DiffusionModel base = DiffusionModels.open(PIPELINE); LoraFile kohya = base.openLora(KOHYA);
                LoraFile peft = base.openLora(PEFT)) {
            float[] plain = pixels(render(base, kohya5));
            float[] withKohya = pixels(served);
            assertFalse(Arrays.equals(plain, withKohya), "the LoRA changes the image");
            try (DiffusionModel view = base.withLoras(List.of(new ScaledLora(kohya, 1.0)))) {
                assertArrayEquals(pixels(render(view, kohya5)), withKohya, "kohya LoRA: the engine's image");
                assertArrayEquals(pixels(render(view, kohya6)), pixels(store.get(done.get(1).outputs().get(0).key())),
                        "the batched job: its image alone");
            }
            try (DiffusionModel view = base.withLoras(List.of(new ScaledLora(peft, 0.5)))) {
                assertArrayEquals(pixels(render(view, peft5)), pixels(store.get(done.get(2).outputs().get(0).key())),
                        "diffusers LoRA at 0.5: the engine's image");
            }
        }
    }

    @Test
    void anImportedSingleFileRendersWithWhatItsImportRecorded() throws Exception {
        GenerationSpec spec = spec(SINGLE, 9, List.of());
        JobSucceeded done = assertInstanceOf(JobSucceeded.class, awaitEnd(submit(spec).get(0)));
        byte[] served = store.get(done.outputs().get(0).key());
        SingleFileOptions stated = new SingleFileOptions(new StatedConfig("epsilon", 4, -1, 128),
                PIPELINE.resolve("tokenizer"));
        try (DiffusionModel model = StableDiffusionModel.loadSingleFile(SINGLE_FILE, stated, null)) {
            assertEquals(128, PngCodec.decode(served).image().width(), "the stated native resolution");
            assertArrayEquals(pixels(render(model, spec)), pixels(served), "the engine's image of the file");
        }
    }

    @Test
    void aLoraOfAnotherBaseOrALoraAsModelFailsForGoodNamingIt() {
        JobFailed otherBase = assertInstanceOf(JobFailed.class,
                awaitEnd(submit(spec(SINGLE, 1, List.of(new LoraRef(INK_KOHYA, 1.0)))).get(0)));
        assertFalse(otherBase.retryable());
        assertTrue(otherBase.reason().contains("ink-kohya@1 adapts tiny-sd@1, not tiny-single@1"), otherBase.reason());
        JobFailed asModel = assertInstanceOf(JobFailed.class, awaitEnd(submit(spec(INK_PEFT, 1, List.of())).get(0)));
        assertFalse(asModel.retryable());
        assertTrue(asModel.reason().contains("name tiny-sd@1 as model and ink-peft@1 in loras"), asModel.reason());
    }

    private static GenerationSpec spec(ModelRef model, long seed, List<LoraRef> loras) {
        return new GenerationSpec("a photo of a cat", "", 1, seed, Sampler.DDIM, null, 3, 3.0, 0.0, null, null, null,
                null, null, model, Priority.NORMAL, null, null, loras);
    }

    private static byte[] render(DiffusionModel model, GenerationSpec spec) {
        return new GenerationPipeline(model).generate(GenerationRequests.fromSpec(spec), StepListener.NONE).get(0).png();
    }

    private static float[] pixels(byte[] png) throws java.io.IOException {
        return PngCodec.decode(png).image().pixels();
    }

    /** In one poll of the worker's, so that jobs of one key meet in the batcher. */
    private static List<UUID> submit(GenerationSpec... specs) {
        List<UUID> ids = new ArrayList<>();
        List<ProducerRecord<String, String>> records = new ArrayList<>();
        for (GenerationSpec spec : specs) {
            UUID jobId = UUID.randomUUID();
            ids.add(jobId);
            GenerationWorkItem item = new GenerationWorkItem(SchemaVersion.CURRENT, jobId, TENANT, 1, 3, Instant.now(),
                    spec, ObjectKeys.resultsPrefix(TENANT, jobId.toString()), 1000, Instant.now().plusSeconds(600));
            records.add(new ProducerRecord<>(Topics.WORK_GENERATION, jobId.toString(),
                    new String(ContractsJson.write(item), StandardCharsets.UTF_8)));
        }
        OnePoll.produce(kafka, records);
        return ids;
    }

    private static JobEvent awaitEnd(UUID jobId) {
        return await().atMost(PATIENCE).until(() -> events.getRecords().stream()
                .filter(r -> jobId.toString().equals(r.key())).map(r -> ContractsJson.read(r.value(), JobEvent.class))
                .filter(e -> e instanceof JobSucceeded || e instanceof JobFailed).findFirst(), java.util.Optional::isPresent).get();
    }

    /** As trainer-service writes it beside what it stores. */
    private void record(String prefix, ImportedModel record) throws IOException {
        store.put(prefix + ImportedModel.RECORD_FILE, ImportRecords.toJson(record).getBytes(StandardCharsets.UTF_8),
                "application/json");
    }
}
