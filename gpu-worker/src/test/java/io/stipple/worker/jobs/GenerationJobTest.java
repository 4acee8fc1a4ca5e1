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
import io.stipple.contracts.event.JobCanceled;
import io.stipple.contracts.event.JobEvent;
import io.stipple.contracts.event.JobFailed;
import io.stipple.contracts.event.JobHeartbeat;
import io.stipple.contracts.event.JobOutput;
import io.stipple.contracts.event.JobProgress;
import io.stipple.contracts.event.Progress;
import io.stipple.contracts.event.JobRunning;
import io.stipple.contracts.event.JobSucceeded;
import io.stipple.contracts.spec.ClassifierGuidance;
import io.stipple.contracts.spec.GenerationSpec;
import io.stipple.contracts.spec.InitImage;
import io.stipple.contracts.spec.ModelRef;
import io.stipple.contracts.spec.Sampler;
import io.stipple.contracts.spec.Upscale;
import io.stipple.contracts.work.ControlAction;
import io.stipple.contracts.work.GenerationWorkItem;
import io.stipple.contracts.work.JobControl;
import io.stipple.engine.export.TinyModels;
import io.stipple.workbench.cascade.TinyStages;
import io.stipple.engine.image.GenerationParameters;
import io.stipple.engine.image.PngCodec;
import io.stipple.engine.image.PngImage;
import io.stipple.engine.text.Tokenizer;
import io.stipple.stack.test.StippleStackResource;
import io.stipple.storage.ObjectKeys;
import io.stipple.storage.ObjectStore;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import javax.imageio.ImageIO;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The worker over the real stack: a work item produced onto Kafka becomes PNGs (with their
 * parameters) in the object store and a success event naming them, with a tiny untrained model
 * that the test uploads to the object store as {@code tiny@1}.
 */
@QuarkusTest
@WithTestResource(value = StippleStackResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
class GenerationJobTest {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final String TENANT = "acme";
    private static boolean modelUploaded;
    private static KafkaCompanion kafka;
    private static ConsumerTask<String, String> events;

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeEach
    void uploadTinyModelAndListen() throws Exception {
        if (modelUploaded) {
            return;
        }
        Path folder = Files.createTempDirectory("tiny-model");
        Tokenizer tokenizer = TinyModels.tokenizer();
        TinyModels.exportUntrained(TinyModels.textModel(tokenizer.vocabulary().size()), tokenizer, folder);
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String relative = folder.relativize(file).toString().replace('\\', '/');
                store.put(ObjectKeys.model("tiny", "1", relative), Files.readAllBytes(file), "application/octet-stream");
            }
        }
        kafka = new KafkaCompanion(bootstrap);
        events = kafka.consumeStrings().fromTopics(Topics.JOBS_EVENTS);
        modelUploaded = true;
    }

    private static GenerationSpec spec(String model, long seed) {
        return new GenerationSpec("a red circle", "a blue square", 2, seed, Sampler.DDIM, null, 6, 3.0, 0.0, null,
                null, null, null, null, ModelRef.parse(model), null, null, null);
    }

    private static GenerationWorkItem submit(GenerationSpec spec) {
        return submitTogether(List.of(spec)).get(0);
    }

    /** In one poll of the worker's, so they meet in its batcher. */
    private static List<GenerationWorkItem> submitTogether(List<GenerationSpec> specs) {
        List<GenerationWorkItem> items = specs.stream().map(spec -> {
            UUID jobId = UUID.randomUUID();
            return new GenerationWorkItem(SchemaVersion.CURRENT, jobId, TENANT, 1, 3, Instant.now(), spec,
                    ObjectKeys.resultsPrefix(TENANT, jobId.toString()), 1000, Instant.now().plusSeconds(60));
        }).toList();
        OnePoll.produce(kafka, items.stream().map(item -> new ProducerRecord<>(Topics.WORK_GENERATION,
                item.jobId().toString(), new String(ContractsJson.write(item), StandardCharsets.UTF_8))).toList());
        return items;
    }

    private static GenerationSpec spec(String prompt, long seed, int steps) {
        return spec(prompt, seed, Sampler.DPMPP_2M, steps);
    }

    private static GenerationSpec spec(String prompt, long seed, Sampler sampler, int steps) {
        return new GenerationSpec(prompt, "", 2, seed, sampler, null, steps, 3.0, 0.0, null,
                null, null, null, null, ModelRef.parse("tiny@1"), null, null, null);
    }

    private static List<JobEvent> eventsOf(UUID jobId) {
        return events.getRecords().stream().filter(r -> jobId.toString().equals(r.key()))
                .map(r -> ContractsJson.read(r.value(), JobEvent.class)).toList();
    }

    private static <E extends JobEvent> E awaitEvent(UUID jobId, Class<E> type) {
        return type.cast(await().atMost(PATIENCE).until(() -> eventsOf(jobId).stream().filter(type::isInstance)
                .findFirst(), java.util.Optional::isPresent).get());
    }

    /** Repeated until confirmed, as the scheduler does: the control consumer may still be joining. */
    private static void cancelUntilConfirmed(GenerationWorkItem item, String reason) {
        JobControl cancel = new JobControl(SchemaVersion.CURRENT, item.jobId(), TENANT, 1, 4, Instant.now(),
                ControlAction.CANCEL, reason);
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(2)).until(() -> {
            kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.JOBS_CONTROL, item.jobId().toString(),
                    new String(ContractsJson.write(cancel), StandardCharsets.UTF_8))).awaitCompletion();
            return eventsOf(item.jobId()).stream().anyMatch(JobCanceled.class::isInstance);
        });
    }

    @Test
    void aWorkItemBecomesPngsWithParametersAndASuccessEventNamingThem() throws Exception {
        GenerationWorkItem item = submit(spec("tiny@1", 42));
        JobSucceeded succeeded = awaitEvent(item.jobId(), JobSucceeded.class);

        List<JobEvent> all = eventsOf(item.jobId());
        // A held job heartbeats while it waits for its batch; the first other event is running.
        assertInstanceOf(JobRunning.class, all.stream().filter(e -> !(e instanceof JobHeartbeat)).findFirst().orElseThrow());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(i + 1, all.get(i).sequence(), "events numbered 1, 2, ... per attempt");
            assertEquals(1, all.get(i).attempt());
        }
        // Success implies every step: the last one comes with it, not as a progress event of its own (which
        // would cost the scheduler and the gateway a pass ahead of the success).
        assertEquals(new Progress(6, 6, "base", null, null), succeeded.progress());
        all.stream().filter(JobProgress.class::isInstance).map(JobProgress.class::cast).forEach(progress -> {
            assertEquals(6, progress.progress().total());
            assertTrue(progress.progress().step() < 6, "no progress event of the last step: " + progress);
        });

        String job = item.jobId().toString();
        assertEquals(List.of(ObjectKeys.result(TENANT, job, 0), ObjectKeys.result(TENANT, job, 1)),
                succeeded.outputs().stream().map(JobOutput::key).toList());
        for (int index = 0; index < 2; index++) {
            byte[] bytes = store.get(ObjectKeys.result(TENANT, job, index));
            assertEquals(bytes.length, succeeded.outputs().get(index).sizeBytes());
            PngImage png = PngCodec.decode(bytes);
            assertEquals(8, png.image().width());
            GenerationParameters parameters = GenerationParameters.fromPngText(png.text()).orElseThrow();
            assertEquals("a red circle", parameters.prompt());
            assertEquals("a blue square", parameters.negativePrompt());
            assertEquals(42, parameters.seed());
            assertEquals(index, parameters.index());
            assertEquals("tiny@1", parameters.model());
            assertEquals("ddim", parameters.sampler());
            assertEquals(6, parameters.steps());
            assertEquals(3.0, parameters.guidanceScale());
            float[] pixels = png.image().pixels();
            float first = pixels[0];
            boolean varies = false;
            for (float p : pixels) {
                varies |= p != first;
            }
            assertTrue(varies, "image " + index + " is not one flat colour");
            String sidecar = new String(store.get(ObjectKeys.resultSidecar(TENANT, job, index)), StandardCharsets.UTF_8);
            assertEquals(png.text().get(GenerationParameters.KEYWORD), sidecar);
        }
    }

    @Test
    void theSameSeedGivesTheSameBytes() {
        GenerationWorkItem first = submit(spec("tiny@1", 7));
        GenerationWorkItem second = submit(spec("tiny@1", 7));
        awaitEvent(first.jobId(), JobSucceeded.class);
        awaitEvent(second.jobId(), JobSucceeded.class);

        for (int index = 0; index < 2; index++) {
            assertArrayEquals(store.get(ObjectKeys.result(TENANT, first.jobId().toString(), index)),
                    store.get(ObjectKeys.result(TENANT, second.jobId().toString(), index)));
        }
        assertFalse(java.util.Arrays.equals(store.get(ObjectKeys.result(TENANT, first.jobId().toString(), 0)),
                store.get(ObjectKeys.result(TENANT, first.jobId().toString(), 1))), "images of a job differ");
    }

    @Test
    void aCancelStopsTheJobBetweenStepsAndWritesNothing() {
        GenerationSpec slow = new GenerationSpec("a red circle", "", 2, 3, Sampler.DDIM, null, 1000, 3.0, 0.0, null,
                null, null, null, null, ModelRef.parse("tiny@1"), null, null, null);
        GenerationWorkItem item = submit(slow);
        awaitEvent(item.jobId(), JobProgress.class);

        cancelUntilConfirmed(item, "client asked");

        List<JobEvent> all = eventsOf(item.jobId());
        JobCanceled canceled = (JobCanceled) all.get(all.size() - 1);
        assertEquals("client asked", canceled.reason());
        JobProgress lastProgress = all.stream().filter(JobProgress.class::isInstance).map(JobProgress.class::cast)
                .reduce((a, b) -> b).orElseThrow();
        assertTrue(lastProgress.progress().step() < 1000, "stopped before the end");
        assertTrue(all.stream().noneMatch(JobSucceeded.class::isInstance));
        assertFalse(store.exists(ObjectKeys.result(TENANT, item.jobId().toString(), 0)));
    }

    @Test
    void compatibleJobsAreSampledTogetherAndComeOutAsTheyWouldAlone() {
        GenerationWorkItem alone = submit(spec("a red circle", 21, 5));
        Map<String, Double> aloneMetrics = awaitEvent(alone.jobId(), JobSucceeded.class).metrics();
        assertEquals(2.0, aloneMetrics.get("batch_images"));
        // the engine's share (sampling and PNGs) is part of the job's time, which adds the upload
        assertTrue(aloneMetrics.get("engine_seconds") > 0, "engine time reported: " + aloneMetrics);
        assertTrue(aloneMetrics.get("engine_seconds") < aloneMetrics.get("seconds"), "engine within the job: " + aloneMetrics);

        List<GenerationWorkItem> together = submitTogether(List.of(spec("a red circle", 21, 5),
                spec("a green triangle", 22, 5), spec("a red circle", 21, 6)));
        JobSucceeded same = awaitEvent(together.get(0).jobId(), JobSucceeded.class);
        JobSucceeded other = awaitEvent(together.get(1).jobId(), JobSucceeded.class);
        JobSucceeded moreSteps = awaitEvent(together.get(2).jobId(), JobSucceeded.class);

        assertEquals(4.0, same.metrics().get("batch_images"), "the two 5-step jobs shared one batch");
        assertEquals(4.0, other.metrics().get("batch_images"));
        assertEquals(2.0, moreSteps.metrics().get("batch_images"), "other steps, other batch");
        for (int index = 0; index < 2; index++) {
            assertArrayEquals(store.get(ObjectKeys.result(TENANT, alone.jobId().toString(), index)),
                    store.get(ObjectKeys.result(TENANT, together.get(0).jobId().toString(), index)),
                    "image " + index + " batched = alone, byte for byte");
        }
    }

    @Test
    void aCancelInsideABatchLeavesTheOtherJobsAloneAndPreviewsAreWritten() throws Exception {
        List<GenerationWorkItem> pair = submitTogether(List.of(spec("a red circle", 31, Sampler.DDIM, 1000),
                spec("a blue square", 32, Sampler.DDIM, 1000)));
        GenerationWorkItem canceled = pair.get(0);
        GenerationWorkItem kept = pair.get(1);
        awaitEvent(canceled.jobId(), JobProgress.class);
        cancelUntilConfirmed(canceled, "only this one");

        JobSucceeded succeeded = awaitEvent(kept.jobId(), JobSucceeded.class);
        assertEquals(4.0, succeeded.metrics().get("batch_images"), "they were one batch");
        assertEquals(2, succeeded.outputs().size());
        assertFalse(store.exists(ObjectKeys.result(TENANT, canceled.jobId().toString(), 0)));
        assertTrue(eventsOf(canceled.jobId()).stream().noneMatch(JobSucceeded.class::isInstance));

        String previewKey = eventsOf(kept.jobId()).stream().filter(JobProgress.class::isInstance)
                .map(e -> ((JobProgress) e).progress().previewKey()).filter(java.util.Objects::nonNull).findFirst()
                .orElseThrow(() -> new AssertionError("no progress event of a 1000-step job named a preview"));
        assertEquals(ObjectKeys.preview(TENANT, kept.jobId().toString()), previewKey);
        assertEquals(8, PngCodec.decode(store.get(previewKey)).image().width());
    }

    @Test
    void aFullWorkerTakesNoMoreJobsUntilOneEndsAndKeepsItsPlaceInTheGroup() {
        // Distinct step counts: no two share a batch, so they run one by one behind max-held-jobs = 3.
        List<GenerationWorkItem> burst = submitTogether(java.util.stream.IntStream.range(0, 6)
                .mapToObj(i -> spec("a yellow star", 60 + i, Sampler.DDIM, 400 + i)).toList());
        List<JobSucceeded> done = burst.stream().map(item -> awaitEvent(item.jobId(), JobSucceeded.class)).toList();

        // Held from its first event (the heartbeat of its receipt) to its terminal one: never more than 3 at once.
        record Span(Instant from, Instant to) {
        }
        List<Span> spans = burst.stream().map(item -> eventsOf(item.jobId()))
                .map(events -> new Span(events.get(0).timestamp(), events.get(events.size() - 1).timestamp())).toList();
        for (Span span : spans) {
            long overlapping = spans.stream().filter(other -> !other.from().isAfter(span.from())
                    && other.to().isAfter(span.from())).count();
            assertTrue(overlapping <= 3, overlapping + " jobs held at once at " + span.from());
        }
        // Records of one burst spread over partitions, so the first held need not be the first submitted.
        Duration waited = Duration.between(spans.stream().map(Span::from).min(Instant::compareTo).orElseThrow(),
                spans.stream().map(Span::from).max(Instant::compareTo).orElseThrow());
        assertTrue(waited.toMillis() > 4000, "the last job must have waited past max.poll.interval.ms (4 s), waited "
                + waited);
        // A consumer that stopped polling would have left the group; its unacknowledged items would come again.
        for (GenerationWorkItem item : burst) {
            assertEquals(1, eventsOf(item.jobId()).stream().filter(JobRunning.class::isInstance).count(),
                    "job " + item.jobId() + " ran once");
        }
        assertEquals(6, done.size());
    }

    @Test
    void aModelMissingFromTheObjectStoreIsTakenFromTheBundledFolder() throws Exception {
        Path bundled = Path.of(ConfigProvider.getConfig().getValue("stipple.worker.bundled-models-dir", String.class))
                .resolve("bundled-tiny").resolve("1");
        Tokenizer tokenizer = TinyModels.tokenizer();
        if (!Files.exists(bundled.resolve("model_card.json"))) {
            TinyModels.exportUntrained(TinyModels.textModel(tokenizer.vocabulary().size()), tokenizer, bundled);
        }
        GenerationWorkItem item = submit(spec("bundled-tiny@1", 5));
        JobSucceeded succeeded = awaitEvent(item.jobId(), JobSucceeded.class);

        assertEquals(2, succeeded.outputs().size());
        assertTrue(store.list(ObjectKeys.modelPrefix("bundled-tiny", "1")).isEmpty(), "not in the object store");
        assertTrue(store.exists(ObjectKeys.result(TENANT, item.jobId().toString(), 1)));
    }

    @Test
    void upscaleX4RunsBothSuperResolutionStagesAfterTheBase() throws Exception {
        Path bundled = Path.of(ConfigProvider.getConfig().getValue("stipple.worker.bundled-models-dir", String.class));
        if (!Files.exists(bundled.resolve("tiny-sr-16/1/model_card.json"))) {
            TinyStages.trainTinyStage(8, 16, bundled.resolve("tiny-sr-16").resolve("1"));
            TinyStages.trainTinyStage(16, 32, bundled.resolve("tiny-sr-32").resolve("1"));
        }
        GenerationSpec x4 = new GenerationSpec("a red circle", "", 1, 9, Sampler.DDIM, null, 4, 3.0, 0.0, null,
                null, Upscale.X4, null, null, ModelRef.parse("tiny@1"), null, null, null);
        GenerationWorkItem item = submit(x4);
        JobSucceeded succeeded = awaitEvent(item.jobId(), JobSucceeded.class);

        PngImage png = PngCodec.decode(store.get(succeeded.outputs().get(0).key()));
        assertEquals(32, png.image().width());
        GenerationParameters parameters = GenerationParameters.fromPngText(png.text()).orElseThrow();
        assertEquals("tiny@1", parameters.model());
        assertEquals("tiny-sr-16@1", parameters.extra().get("stage1_model"));
        assertEquals("tiny-sr-32@1", parameters.extra().get("stage2_model"));
        // The base images are generated: each stage's default_cascade_aug_level, not its default_aug_level (50).
        assertEquals(Integer.toString(TinyStages.TINY_CASCADE_AUG_LEVEL), parameters.extra().get("stage1_aug_level"));
        assertEquals(Integer.toString(TinyStages.TINY_CASCADE_AUG_LEVEL), parameters.extra().get("stage2_aug_level"));
        assertEquals("8", parameters.extra().get("base_size"));
        // Every stage but the last reports its last step; the last stage's comes with the success.
        List<Progress> progress = eventsOf(item.jobId()).stream().filter(JobProgress.class::isInstance)
                .map(e -> ((JobProgress) e).progress()).toList();
        List<String> completed = progress.stream().filter(p -> p.step() == p.total()).map(Progress::stage).toList();
        assertEquals(List.of("base", "upscale_x2"), completed);
        assertTrue(progress.stream().noneMatch(p -> "upscale_x4".equals(p.stage()) && p.step() == p.total()), progress::toString);
        assertEquals("upscale_x4", succeeded.progress().stage());
        assertEquals(succeeded.progress().total(), succeeded.progress().step());
    }

    @Test
    void anInpaintingJobKeepsTheUnmaskedHalfOfItsUploadAndAnImageToImageJobRecordsItsStrength() throws Exception {
        // 8x8, the tiny model's side, so the upload is used as it is: left half red, right half blue.
        BufferedImage init = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        BufferedImage mask = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                init.setRGB(x, y, x < 4 ? 0xE01010 : 0x1020F0);
                mask.setRGB(x, y, x < 4 ? 0x000000 : 0xFFFFFF);
            }
        }
        store.put(ObjectKeys.upload(TENANT, "up-init", "0.png"), png(init), "image/png");
        store.put(ObjectKeys.upload(TENANT, "up-mask", "0.png"), png(mask), "image/png");

        GenerationWorkItem inpainting = submit(new GenerationSpec("a green triangle", "", 1, 4, Sampler.DDIM, null, 6, 3.0,
                0.0, null, null, null, new InitImage("up-init", 0.75), "up-mask", ModelRef.parse("tiny@1"), null, null, null));
        GenerationWorkItem imageToImage = submit(new GenerationSpec("a green triangle", "", 1, 4, Sampler.DDIM, null, 6, 3.0,
                0.0, null, null, null, new InitImage("up-init", 0.5), null, ModelRef.parse("tiny@1"), null, null, null));

        BufferedImage painted = ImageIO.read(new java.io.ByteArrayInputStream(
                store.get(awaitEvent(inpainting.jobId(), JobSucceeded.class).outputs().get(0).key())));
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(init.getRGB(x, y), painted.getRGB(x, y), "kept pixel " + x + "," + y);
            }
        }
        PngImage started = PngCodec.decode(store.get(awaitEvent(imageToImage.jobId(), JobSucceeded.class).outputs().get(0).key()));
        assertEquals("0.5", GenerationParameters.fromPngText(started.text()).orElseThrow().extra().get("init_strength"));
    }

    @Test
    void anImageToImageJobWhoseUploadIsNoImageFailsForGoodSayingWhich() {
        store.put(ObjectKeys.upload(TENANT, "up-text", "0.png"), "not a picture".getBytes(StandardCharsets.UTF_8), "image/png");
        GenerationWorkItem item = submit(new GenerationSpec("a red circle", "", 1, 4, Sampler.DDIM, null, 4, 3.0, 0.0, null,
                null, null, new InitImage("up-text", 0.5), null, ModelRef.parse("tiny@1"), null, null, null));
        JobFailed failed = awaitEvent(item.jobId(), JobFailed.class);
        assertFalse(failed.retryable());
        assertTrue(failed.reason().startsWith("init_image: upload up-text is not a readable image"), failed.reason());
    }

    @Test
    void classifierGuidanceRunsWithTheBundledClassifierAndAnUnknownLabelFailsForGood() throws Exception {
        // The real 16x16 base model and the guidance classifier, from the repository's models/ into the bundled folder.
        Path bundled = Path.of(ConfigProvider.getConfig().getValue("stipple.worker.bundled-models-dir", String.class));
        for (String folder : List.of("stipple-base-16/2", "stipple-guidance-classifier-16/1")) {
            copyTree(Path.of("..", "models").resolve(folder), bundled.resolve(folder));
        }
        GenerationWorkItem guided = submit(new GenerationSpec("a circle on a white background", "", 1, 3, Sampler.DPMPP_2M,
                null, 4, 3.0, 0.0, null, new ClassifierGuidance("blue", 5), null, null, null,
                ModelRef.parse("stipple-base-16@2"), null, null, null));
        GenerationWorkItem unknown = submit(new GenerationSpec("a circle", "", 1, 3, Sampler.DPMPP_2M, null, 4, 3.0, 0.0,
                null, new ClassifierGuidance("unicorn", 5), null, null, null, ModelRef.parse("stipple-base-16@2"), null, null,
                null));

        PngImage png = PngCodec.decode(store.get(awaitEvent(guided.jobId(), JobSucceeded.class).outputs().get(0).key()));
        GenerationParameters parameters = GenerationParameters.fromPngText(png.text()).orElseThrow();
        assertEquals("blue", parameters.extra().get("classifier_label"));
        assertEquals("5.0", parameters.extra().get("classifier_scale"));
        JobFailed failed = awaitEvent(unknown.jobId(), JobFailed.class);
        assertFalse(failed.retryable());
        assertTrue(failed.reason().contains("\"unicorn\" is no label"), failed.reason());
    }

    private static byte[] png(BufferedImage image) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void anUnknownModelFailsTheJobForGoodWithAClearReason() {
        GenerationWorkItem item = submit(spec("no-such-model@3", 1));
        JobFailed failed = awaitEvent(item.jobId(), JobFailed.class);
        assertFalse(failed.retryable());
        assertTrue(failed.reason().contains("unknown model no-such-model@3"), failed.reason());
    }
}
