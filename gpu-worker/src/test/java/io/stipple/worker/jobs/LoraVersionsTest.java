package io.stipple.worker.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
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
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.spec.Sampler;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.engine.export.StippleModel;
import io.stipple.engine.export.TinyModels;
import io.stipple.engine.image.GenerationParameters;
import io.stipple.engine.image.PngCodec;
import io.stipple.engine.nn.LowRankAdapters;
import io.stipple.stack.test.StippleStackResource;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import io.stipple.storage.ObjectTrees;
import io.stipple.worker.model.ModelCache;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.types.TFloat32;

/**
 * LoRA versions in the worker: two versions over one base (random weights, random adapters, in the
 * object store as a fine-tune leaves them) render differently from the base and from each other,
 * and run inside the base's one loaded copy: the same session, no variable added to its graph.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class LoraVersionsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String TENANT = "acme";
    private static final ModelRef BASE = ModelRef.parse("lora-base@1");
    private static final ModelRef FIRST = ModelRef.parse("lora-a@1");
    private static final ModelRef SECOND = ModelRef.parse("lora-b@1");
    private static Set<String> baseVariables;
    private static KafkaCompanion kafka;
    private static ConsumerTask<String, String> events;

    @Inject
    ObjectStore store;

    @Inject
    ModelCache cache;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeEach
    void uploadBaseAndVersions() throws Exception {
        if (kafka != null) {
            return;
        }
        Path root = Files.createTempDirectory("lora-models");
        Path base = root.resolve("base");
        TinyModels.exportRandomBase(BASE.name(), base);
        try (StippleModel loaded = StippleModel.load(base)) {
            baseVariables = names(loaded);
        }
        ObjectTrees.upload(store, base, ObjectKeys.modelPrefix(BASE.name(), BASE.version()));
        long seed = 1;
        for (ModelRef version : List.of(FIRST, SECOND)) {
            Path folder = root.resolve(version.name());
            TinyModels.exportRandomLora(base, version.name(), version.version(), seed++, folder);
            ObjectTrees.upload(store, folder, ObjectKeys.modelPrefix(version.name(), version.version()));
        }
        kafka = new KafkaCompanion(bootstrap);
        events = kafka.consumeStrings().fromTopics(Topics.JOBS_EVENTS);
    }

    @Test
    void twoLoraVersionsRenderDifferentlyOverOneLoadedBase() throws Exception {
        List<GenerationWorkItem> items = List.of(submit(BASE), submit(FIRST), submit(SECOND));
        List<byte[]> images = items.stream().map(item -> {
            JobSucceeded succeeded = awaitSuccess(item.jobId());
            return store.get(succeeded.outputs().get(0).key());
        }).toList();

        for (int i = 0; i < 3; i++) {
            assertEquals(items.get(i).spec().model().toString(),
                    GenerationParameters.fromPngText(PngCodec.decode(images.get(i)).text()).orElseThrow().model());
        }
        assertFalse(Arrays.equals(images.get(0), images.get(1)), "lora-a draws differently from its base");
        assertFalse(Arrays.equals(images.get(0), images.get(2)), "lora-b draws differently from its base");
        assertFalse(Arrays.equals(images.get(1), images.get(2)), "the two versions differ from each other");

        StippleModel base = (StippleModel) cache.acquire(BASE);
        StippleModel first = (StippleModel) cache.acquire(FIRST);
        StippleModel second = (StippleModel) cache.acquire(SECOND);
        try {
            assertTrue(first.adapted() && second.adapted());
            assertFalse(base.adapted());
            assertSame(base.session(), first.session(), "lora-a runs in the base's session");
            assertSame(base.session(), second.session(), "lora-b runs in the base's session");
            assertEquals(baseVariables, names(base), "the base's graph holds its own weights once, no copy, no adapter variable");
        } finally {
            cache.release(SECOND);
            cache.release(FIRST);
            cache.release(BASE);
        }
    }

    private static Set<String> names(StippleModel model) {
        var weights = model.weights();
        weights.values().forEach(TFloat32::close);
        assertTrue(weights.keySet().stream().noneMatch(LowRankAdapters::isAdapterWeight));
        return Set.copyOf(weights.keySet());
    }

    private static GenerationWorkItem submit(ModelRef model) {
        UUID jobId = UUID.randomUUID();
        GenerationSpec spec = new GenerationSpec("a red circle", "", 1, 17, Sampler.DDIM, null, 4, 3.0, 0.0, null,
                null, null, null, null, model, null, null, null);
        GenerationWorkItem item = new GenerationWorkItem(SchemaVersion.CURRENT, jobId, TENANT, 1, 3, Instant.now(), spec,
                ObjectKeys.resultsPrefix(TENANT, jobId.toString()), 1000, Instant.now().plusSeconds(60));
        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.WORK_GENERATION, jobId.toString(),
                new String(ContractsJson.write(item), StandardCharsets.UTF_8))).awaitCompletion();
        return item;
    }

    private static JobSucceeded awaitSuccess(UUID jobId) {
        return (JobSucceeded) await().atMost(PATIENCE).until(() -> events.getRecords().stream()
                .filter(r -> jobId.toString().equals(r.key())).map(r -> ContractsJson.read(r.value(), JobEvent.class))
                .filter(JobSucceeded.class::isInstance).findFirst(), Optional::isPresent).get();
    }
}
