package io.stipple.engine.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.engine.denoise.Conditioning;
import io.stipple.engine.denoise.Tensor;
import io.stipple.engine.nn.Parameters;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.text.Tokenizer;
import io.stipple.engine.training.DiffusionTrainer;
import io.stipple.engine.training.TrainerConfig;
import io.stipple.engine.training.TrainingBatch;
import io.stipple.engine.unet.DenoisingGraph;
import io.stipple.engine.unet.ModelConfig;
import io.stipple.engine.unet.ModelInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class ExportTest {

    private static float[] random(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /** The model as the in-memory inference graph computes it, before any export. */
    private static float[] inMemory(ModelConfig config, Map<String, TFloat32> weights, int[] tokens, float[] sample,
            float[] timesteps) {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            var tf = org.tensorflow.op.Ops.create(graph);
            Parameters parameters = new Parameters(tf, 0);
            DenoisingGraph model = DenoisingGraph.forInference(tf, parameters, config);
            session.initialize();
            parameters.load(session, weights);
            int batch = timesteps.length;
            try (TInt32 tokenTensor = TInt32.tensorOf(Shape.of(batch, 8), DataBuffers.of(tokens));
                    Result text = session.runner().feed(model.tokens(), tokenTensor).fetch(model.textOutput()).run();
                    TFloat32 x = TFloat32.tensorOf(Shape.of(batch, 8, 8, 3), DataBuffers.of(sample));
                    TFloat32 t = TFloat32.vectorOf(timesteps);
                    Result out = session.runner().feed(model.sample(), x).feed(model.timestep(), t)
                            .feed(model.textEmbedding(), (TFloat32) text.get(0)).fetch(model.output()).run()) {
                TFloat32 y = (TFloat32) out.get(0);
                float[] values = new float[(int) y.size()];
                y.asRawTensor().data().asFloats().read(values);
                return values;
            }
        }
    }

    @Test
    void aTinyModelTrainsExportsLoadsBitIdenticallyAndFineTunesFromTheExport(@TempDir Path dir) throws Exception {
        Tokenizer tokenizer = TinyModels.tokenizer();
        ModelConfig config = TinyModels.textModel(tokenizer.vocabulary().size());
        SplittableRandom random = new SplittableRandom(5);
        // A fixed set of 8 smooth images: learnable, so the loss must fall quickly.
        float[] images = new float[8 * 8 * 8 * 3];
        for (int i = 0; i < images.length; i++) {
            int example = i / 192;
            images[i] = (float) Math.tanh(Math.sin(0.3 * (i % 192) + example));
        }
        List<String> captions = List.of(TinyModels.CAPTIONS.get(0), TinyModels.CAPTIONS.get(1),
                TinyModels.CAPTIONS.get(2), TinyModels.CAPTIONS.get(3), TinyModels.CAPTIONS.get(0),
                TinyModels.CAPTIONS.get(1), TinyModels.CAPTIONS.get(2), TinyModels.CAPTIONS.get(3));
        TrainingBatch batch = TrainingBatch.of(captions, images);

        Path modelDir = dir.resolve("model");
        double first = 0;
        double last = 0;
        try (DiffusionTrainer trainer = new DiffusionTrainer(config, tokenizer,
                SchedulerConfigs.create(TinyModels.scheduler()), new TrainerConfig(3e-3f, 5, 0.9f, 0.999f, 1e-8f, 1f, 0.9f),
                11, 0.1f)) {
            trainer.initialize();
            // Evaluate on the same fixed noise draws before and after, so the comparison is not luck.
            for (long s = 1000; s < 1010; s++) {
                first += trainer.evaluate(batch, s);
            }
            for (int i = 0; i < 60; i++) {
                trainer.train(batch);
            }
            for (long s = 1000; s < 1010; s++) {
                last += trainer.evaluate(batch, s);
            }
            assertTrue(last < 0.6 * first, "loss fell from " + first / 10 + " to only " + last / 10);

            Map<String, TFloat32> weights = trainer.averagedWeights();
            try {
                Files.createDirectories(modelDir);
                ModelExporter.export(config, weights, modelDir.resolve(StippleModel.SAVED_MODEL_DIR));
                ModelCards.write(TinyModels.card(config, tokenizer), modelDir);
                int[] tokens = tokenizer.encode(List.of(captions.get(0), ""));
                float[] sample = random(random, 2 * 8 * 8 * 3);
                float[] timesteps = {10f, 700f};
                float[] expected = inMemory(config, weights, tokens, sample, timesteps);

                try (StippleModel model = StippleModel.load(modelDir)) {
                    Conditioning conditioning = model.conditioning(List.of(captions.get(0), ""));
                    float[] actual = model.denoiser().predict(Tensor.of(sample, 2, 8, 8, 3), timesteps, conditioning);
                    assertArrayEquals(expected, actual);
                    assertEquals(Set.of(ModelInputs.TEXT_EMBEDDING), model.denoiser().conditioningInputs());
                    assertEquals("tiny", model.card().name());
                    assertEquals(TinyModels.scheduler(), model.schedulerConfig());
                    assertFineTuningStartsFromTheExportedWeights(model, config, tokenizer, weights);
                }
            } finally {
                weights.values().forEach(TFloat32::close);
            }
        }
    }

    private static float[] values(TFloat32 tensor) {
        float[] out = new float[(int) tensor.size()];
        tensor.asRawTensor().data().asFloats().read(out);
        return out;
    }

    private static void assertFineTuningStartsFromTheExportedWeights(StippleModel model, ModelConfig config,
            Tokenizer tokenizer, Map<String, TFloat32> exported) {
        Map<String, TFloat32> loaded = model.weights();
        try (DiffusionTrainer fineTune = new DiffusionTrainer(config, tokenizer,
                SchedulerConfigs.create(TinyModels.scheduler()), TrainerConfig.defaults(1e-4f), 99, 0f)) {
            assertEquals(exported.keySet(), loaded.keySet());
            fineTune.initializeFrom(loaded);
            assertEquals(0, fineTune.step());
            Map<String, TFloat32> start = fineTune.averagedWeights();
            try {
                for (String name : exported.keySet()) {
                    assertArrayEquals(values(exported.get(name)), values(loaded.get(name)), name);
                    assertArrayEquals(values(exported.get(name)), values(start.get(name)), name);
                }
            } finally {
                start.values().forEach(TFloat32::close);
            }
        } finally {
            loaded.values().forEach(TFloat32::close);
        }
    }

    @Test
    void superResolutionInputsAreSignatureInputsAndMustBeProvided(@TempDir Path dir) throws Exception {
        ModelConfig config = TinyModels.superResolutionModel();
        TinyModels.exportUntrained(config, null, dir.resolve("sr"));
        Path savedModel = dir.resolve("sr").resolve(StippleModel.SAVED_MODEL_DIR);
        try (SavedModelDenoiser denoiser = SavedModelDenoiser.load(savedModel)) {
            assertEquals(Set.of(ModelInputs.LOW_RES, ModelInputs.AUG_LEVEL), denoiser.conditioningInputs());
            Tensor sample = Tensor.of(new float[8 * 8 * 3], 1, 8, 8, 3);
            var missing = assertThrows(IllegalArgumentException.class,
                    () -> denoiser.predict(sample, new float[] {5f}, Conditioning.of(ModelInputs.LOW_RES, sample)));
            assertTrue(missing.getMessage().contains(ModelInputs.AUG_LEVEL), missing.getMessage());
            float[] out = denoiser.predict(sample, new float[] {5f}, Conditioning.of(ModelInputs.LOW_RES, sample)
                    .with(ModelInputs.AUG_LEVEL, Tensor.of(new float[] {100f}, 1)));
            assertEquals(8 * 8 * 3, out.length);
        }
    }
}
