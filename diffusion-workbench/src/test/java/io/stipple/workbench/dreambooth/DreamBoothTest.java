package io.stipple.workbench.dreambooth;

import io.stipple.engine.dreambooth.ClassImageSettings;
import io.stipple.engine.dreambooth.ClassImages;
import io.stipple.engine.dreambooth.DreamBooth;
import io.stipple.engine.dreambooth.DreamBoothConfig;
import io.stipple.engine.dreambooth.TunedModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.workbench.data.SceneRenderer;
import io.stipple.workbench.data.Subject;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.export.ModelCards;
import io.stipple.engine.export.ModelFolder;
import io.stipple.engine.weights.ModelFormatException;
import io.stipple.engine.export.StippleModel;
import io.stipple.engine.export.TinyModels;
import io.stipple.engine.nn.LowRankAdapters;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.text.Tokenizer;
import io.stipple.engine.training.BlobCheckpointStore;
import io.stipple.engine.training.CheckpointStore;
import io.stipple.engine.training.DiffusionTrainer;
import io.stipple.engine.training.FolderBlobs;
import io.stipple.engine.training.TrainerConfig;
import io.stipple.engine.training.TrainingBatch;
import io.stipple.engine.training.TrainingRun;
import io.stipple.engine.unet.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TFloat32;

/** DreamBooth on a tiny base: exact resume through a checkpoint store, class-image caching, LoRA export and loading. */
class DreamBoothTest {

    private static final int SIZE = 8;
    private static final int INSTANCES = 3;

    @TempDir
    static Path shared;
    static Path baseDir;
    /** One uninterrupted LoRA run, shared: the reference for the resumed run and the exported version's source. */
    static Path straight;
    static Path loraDir;
    static Map<String, float[]> uninterrupted;

    /** A tiny text model trained a few steps (an untrained U-Net's zero output layer would block LoRA gradients). */
    @BeforeAll
    static void trainTinyBase() throws Exception {
        Tokenizer tokenizer = TinyModels.tokenizer();
        ModelConfig config = TinyModels.textModel(tokenizer.vocabulary().size());
        float[] images = new float[4 * SIZE * SIZE * 3];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) Math.sin(0.7 * i);
        }
        baseDir = shared.resolve("models/tiny/1");
        try (DiffusionTrainer base = new DiffusionTrainer(config, tokenizer, SchedulerConfigs.create(TinyModels.scheduler()),
                new TrainerConfig(1e-2f, 0, 0.9f, 0.999f, 1e-8f, 1f, 0f), 1, 0.1f)) {
            base.initialize();
            for (int i = 0; i < 3; i++) {
                base.train(TrainingBatch.of(TinyModels.CAPTIONS, images));
            }
            Map<String, TFloat32> weights = base.averagedWeights();
            try {
                ModelFolder.write(baseDir, config, weights, TinyModels.card(config, tokenizer), shared);
            } finally {
                weights.values().forEach(TFloat32::close);
            }
        }
        straight = shared.resolve("straight");
        loraDir = shared.resolve("models/tiny-sks/lora");
        try (StippleModel base = StippleModel.load(baseDir)) {
            uninterrupted = run(base, config(DreamBoothConfig.Method.LORA), straight.resolve("work"), straight,
                    Integer.MAX_VALUE, DreamBooth.Listener.NONE, loraDir);
        }
    }

    private static float[] instances() {
        float[] out = new float[INSTANCES * SIZE * SIZE * 3];
        for (int i = 0; i < INSTANCES; i++) {
            SceneRenderer.renderInto(Subject.instances(INSTANCES).get(i), SIZE, out, i * SIZE * SIZE * 3);
        }
        return out;
    }

    private static DreamBoothConfig config(DreamBoothConfig.Method method) {
        return new DreamBoothConfig("a sks star", "a star", true, 4, 1f, 6, 5e-3f, 2, 7, false, method, 2, 2,
                new ClassImageSettings("ddim", 3, 2.0, 0));
    }

    private static Map<String, float[]> run(StippleModel base, DreamBoothConfig config, Path work, Path store,
            int cancelAfter, DreamBooth.Listener listener) throws Exception {
        return run(base, config, work, store, cancelAfter, listener, null);
    }

    /** With {@code exportTo}, the tuned model is also exported there as version "lora" of tiny-sks. */
    private static Map<String, float[]> run(StippleModel base, DreamBoothConfig config, Path work, Path store,
            int cancelAfter, DreamBooth.Listener listener, Path exportTo) throws Exception {
        DreamBooth dreamBooth = new DreamBooth(new ClassImages(new FolderBlobs(store.resolve("cache"))),
                new BlobCheckpointStore(new FolderBlobs(store.resolve("checkpoints"))), System.out);
        AtomicInteger checks = new AtomicInteger();
        try (TunedModel tuned = dreamBooth.train(base, config, instances(), INSTANCES, work, listener,
                () -> checks.incrementAndGet() > cancelAfter)) {
            if (exportTo != null) {
                tuned.export(exportTo, "tiny-sks", "lora", "test", Map.of());
            }
            return values(tuned.weights());
        }
    }

    private static long floats(Map<String, float[]> weights, boolean adapters) {
        return weights.entrySet().stream().filter(e -> LowRankAdapters.isAdapterWeight(e.getKey()) == adapters)
                .mapToLong(e -> e.getValue().length).sum();
    }

    private static Map<String, float[]> values(Map<String, TFloat32> weights) {
        Map<String, float[]> out = new java.util.TreeMap<>();
        weights.forEach((name, tensor) -> {
            float[] v = new float[(int) tensor.size()];
            tensor.asRawTensor().data().asFloats().read(v);
            out.put(name, v);
            tensor.close();
        });
        return out;
    }

    @Test
    void aRunRestartedOnAnEmptyWorkDirectoryResumesFromTheStoreAndEndsIdentically() throws Exception {
        try (StippleModel base = StippleModel.load(baseDir)) {
            DreamBoothConfig config = config(DreamBoothConfig.Method.LORA);
            Path interrupted = shared.resolve("interrupted");
            assertThrows(CancellationException.class, () -> run(base, config, interrupted.resolve("work-a"), interrupted,
                    3, DreamBooth.Listener.NONE), "canceled before step 3 (after the checkpoint at 2)");
            AtomicInteger classImageReports = new AtomicInteger();
            AtomicInteger firstStep = new AtomicInteger(-1);
            Map<String, float[]> resumed = run(base, config, interrupted.resolve("work-b"), interrupted, Integer.MAX_VALUE,
                    new DreamBooth.Listener() {
                        @Override
                        public void classImages(int done, int total) {
                            classImageReports.incrementAndGet();
                        }

                        @Override
                        public void step(io.stipple.engine.training.StepResult result, long total) {
                            firstStep.compareAndSet(-1, (int) result.step());
                        }
                    });

            assertEquals(2, firstStep.get(), "resumed after the last published checkpoint");
            assertEquals(1, classImageReports.get(), "class images came from the cache in one piece");
            assertEquals(uninterrupted.keySet(), resumed.keySet());
            for (String name : uninterrupted.keySet()) {
                assertArrayEquals(uninterrupted.get(name), resumed.get(name), name);
            }
            assertEquals(Files.readString(straight.resolve("work/" + TrainingRun.LOSS_CSV)),
                    Files.readString(interrupted.resolve("work-b/" + TrainingRun.LOSS_CSV)), "same loss curve");
            try (Stream<Path> steps = Files.list(interrupted.resolve("checkpoints"))) {
                assertEquals(List.of("latest", "step-6"), steps.map(p -> p.getFileName().toString()).sorted().toList(),
                        "older checkpoints removed once a newer one is published");
            }
            long adapterFloats = floats(uninterrupted, true);
            long baseFloats = floats(uninterrupted, false);
            long checkpointBytes = Files.size(interrupted.resolve("checkpoints/step-6/" + TrainingRun.CHECKPOINT_DIR
                    + "/ckpt.data-00000-of-00001"));
            // The adapters, their two Adam slots and EMA shadow, and the step counter: no copy of the frozen base.
            assertTrue(checkpointBytes <= 4 * 4 * adapterFloats + 64, checkpointBytes + " bytes for "
                    + adapterFloats + " adapter weights over a base of " + baseFloats);
        }
    }

    @Test
    void loraVersionsHoldOnlyAdaptersAndLoadOverTheSharedBase() throws Exception {
        try (StippleModel base = StippleModel.load(baseDir)) {
            assertTrue(Files.exists(loraDir.resolve(StippleModel.ADAPTERS_FILE)));
            assertFalse(Files.exists(loraDir.resolve(StippleModel.SAVED_MODEL_DIR)), "no copy of the base");
            assertTrue(Files.exists(loraDir.resolve(TrainingRun.LOSS_PNG)));
            assertEquals("tiny@1", ModelCards.read(loraDir).fineTune().baseModel());
            assertThrows(ModelFormatException.class, () -> StippleModel.load(loraDir));

            float[] before = predict(base);
            try (StippleModel adapted = StippleModel.withAdapters(base, loraDir)) {
                float[] tunedOutput = predict(adapted);
                assertFalse(java.util.Arrays.equals(before, tunedOutput), "the adapters change the prediction");
                assertEquals("tiny-sks", adapted.card().name());
            }
            assertArrayEquals(before, predict(base), "the base is unchanged by its adapted sibling");
            try (StippleModel opened = StippleModel.open(loraDir, shared.resolve("models"))) {
                assertTrue(opened.adapted());
            }
        }
    }

    @Test
    void fullVersionsAreCompleteSavedModels() throws Exception {
        try (StippleModel base = StippleModel.load(baseDir)) {
            DreamBooth dreamBooth = new DreamBooth(new ClassImages(new FolderBlobs(shared.resolve("full-cache"))),
                    CheckpointStore.NONE, System.out);
            Path fullDir = shared.resolve("models/tiny-sks/full");
            try (TunedModel tuned = dreamBooth.train(base, config(DreamBoothConfig.Method.FULL), instances(), INSTANCES,
                    shared.resolve("full-work"), DreamBooth.Listener.NONE, () -> false)) {
                tuned.export(fullDir, "tiny-sks", "full", "test", Map.of());
            }
            try (StippleModel full = StippleModel.load(fullDir)) {
                assertEquals("full", full.card().fineTune().method());
                assertFalse(java.util.Arrays.equals(predict(base), predict(full)));
                assertFalse(full.weights().keySet().stream().anyMatch(LowRankAdapters::isAdapterWeight));
            }
        }
    }

    private static float[] predict(StippleModel model) {
        float[] sample = new float[2 * SIZE * SIZE * 3];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = (float) Math.cos(0.3 * i);
        }
        return model.denoiser().predict(Tensor.of(sample, 2, SIZE, SIZE, 3), new float[] {100, 700},
                model.conditioning(List.of("a sks star", "a star")));
    }
}
