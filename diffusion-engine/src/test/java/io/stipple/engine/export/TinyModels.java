package io.stipple.engine.export;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.stipple.engine.schedulers.SchedulerConfig;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.text.TextEncoderConfig;
import io.stipple.engine.text.Tokenizer;
import io.stipple.engine.text.Vocabulary;
import io.stipple.engine.unet.ModelConfig;
import io.stipple.engine.unet.UNetConfig;
import io.stipple.engine.nn.Parameters;
import io.stipple.engine.unet.DenoisingGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.SplittableRandom;
import io.stipple.engine.nn.LowRankAdapters;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import java.util.List;
import java.util.Map;

/** Tiny but complete model configurations that build and train in seconds. */
public final class TinyModels {

    public static final List<String> CAPTIONS = List.of("a red circle on a white background",
            "a blue square in the top left", "a green star at the bottom", "a small yellow ring");

    private TinyModels() {
    }

    public static Tokenizer tokenizer() {
        return new Tokenizer(Vocabulary.fromCaptions(CAPTIONS), 8);
    }

    public static ModelConfig textModel(int vocabularySize) {
        return new ModelConfig(new UNetConfig(8, 3, 0, 16, List.of(1, 2), 1, List.of(4), 2, 4, 16, false),
                new TextEncoderConfig(vocabularySize, 8, 16, 1, 2));
    }

    /** A super-resolution-shaped model: low_res channels and an augmentation level, no text. */
    public static ModelConfig superResolutionModel() {
        return new ModelConfig(new UNetConfig(8, 3, 3, 16, List.of(1, 2), 1, List.of(), 2, 4, 0, true), null);
    }

    /** Exports the seeded initial weights of {@code config} as a model folder (shapes and plumbing only). */
    public static void exportUntrained(ModelConfig config, Tokenizer tokenizer, Path modelDir) throws IOException {
        try (Graph graph = new Graph(); Session session = new Session(graph)) {
            Ops tf = Ops.create(graph);
            Parameters parameters = new Parameters(tf, 3);
            DenoisingGraph.forInference(tf, parameters, config);
            session.initialize();
            var runner = session.runner();
            parameters.all().forEach(p -> runner.fetch(p.variable()));
            Map<String, TFloat32> weights = new LinkedHashMap<>();
            try (Result result = runner.run()) {
                for (int i = 0; i < parameters.all().size(); i++) {
                    weights.put(parameters.all().get(i).name(), (TFloat32) result.get(i));
                }
                Files.createDirectories(modelDir);
                ModelExporter.export(config, weights, modelDir.resolve(StippleModel.SAVED_MODEL_DIR));
            }
        }
        ModelCards.write(card(config, tokenizer), modelDir);
    }

    /**
     * A text base model {@code name@1} with random weights everywhere: unlike {@link #exportUntrained}
     * no layer starts at zero (the U-Net's output convolution does), so its prediction depends on
     * every weight, and adapters over it change what it draws. Builds no training graph.
     */
    public static void exportRandomBase(String name, Path modelDir) throws IOException {
        Tokenizer tokenizer = tokenizer();
        ModelConfig config = textModel(tokenizer.vocabulary().size());
        Path untrained = Files.createTempDirectory("untrained");
        exportUntrained(config, tokenizer, untrained);
        Map<String, TFloat32> weights = new LinkedHashMap<>();
        try (StippleModel model = StippleModel.load(untrained)) {
            SplittableRandom random = new SplittableRandom(11);
            for (var entry : model.weights().entrySet()) {
                TFloat32 value = entry.getValue();
                float[] values = new float[(int) value.size()];
                value.asRawTensor().data().asFloats().read(values);
                if (allZero(values)) {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (0.1 * random.nextGaussian());
                    }
                    value.close();
                    value = TFloat32.tensorOf(value.shape(), DataBuffers.of(values));
                }
                weights.put(entry.getKey(), value);
            }
            ModelCard card = card(config, tokenizer);
            Files.createDirectories(modelDir);
            ModelExporter.export(config, weights, modelDir.resolve(StippleModel.SAVED_MODEL_DIR));
            ModelCards.write(new ModelCard(card.format(), name, "1", "random test base", config, card.scheduler(),
                    card.predictionType(), card.tokenizer(), card.data(), card.training(), card.defaults(), card.metrics()),
                    modelDir);
        } finally {
            weights.values().forEach(TFloat32::close);
        }
    }

    /**
     * A LoRA version {@code name@version} over the base in {@code baseDir}: rank-2 adapters drawn from
     * {@code seed} on every attention projection of the U-Net (the layers DreamBooth-LoRA adapts).
     */
    public static void exportRandomLora(Path baseDir, String name, String version, long seed, Path loraDir)
            throws IOException {
        int rank = 2;
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, TFloat32> adapters = new LinkedHashMap<>();
        try (StippleModel base = StippleModel.load(baseDir)) {
            ModelCard card = base.card();
            for (var entry : base.weights().entrySet()) {
                String layer = entry.getKey().replaceFirst("_kernel$", "");
                Shape shape = entry.getValue().shape();
                if (entry.getKey().endsWith("_kernel") && LowRankAdapters.UNET_ATTENTION.matcher(layer).matches()) {
                    adapters.put(layer + "_lora_down", randomTensor(random, Shape.of(shape.get(0), rank)));
                    adapters.put(layer + "_lora_up", randomTensor(random, Shape.of(rank, shape.get(1))));
                }
                entry.getValue().close();
            }
            if (adapters.isEmpty()) {
                throw new IllegalStateException(baseDir + " has no attention projections to adapt");
            }
            ModelCard lora = new ModelCard(card.format(), name, version, "random LoRA test version", card.architecture(),
                    card.scheduler(), card.predictionType(), card.tokenizer(), card.data(), card.training(),
                    card.defaults(), card.metrics(), null,
                    new ModelCard.FineTune(card.name() + "@" + card.version(), ModelCard.FineTune.LORA,
                            new ModelCard.LoraSpec(rank, rank, LowRankAdapters.UNET_ATTENTION.pattern()), Map.of()));
            ModelFolder.writeAdapters(loraDir, adapters, lora, loraDir);
        } finally {
            adapters.values().forEach(TFloat32::close);
        }
    }

    private static TFloat32 randomTensor(SplittableRandom random, Shape shape) {
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (0.3 * random.nextGaussian());
        }
        return TFloat32.tensorOf(shape, DataBuffers.of(values));
    }

    private static boolean allZero(float[] values) {
        for (float v : values) {
            if (v != 0f) {
                return false;
            }
        }
        return true;
    }

    public static SchedulerConfig scheduler() {
        return SchedulerConfigs.defaults("DDPMScheduler", Map.of("prediction_type", "epsilon"));
    }

    public static ModelCard card(ModelConfig config, Tokenizer tokenizer) throws IOException {
        var scheduler = ModelCards.mapper().readTree(SchedulerConfigs.toJson(scheduler()));
        return new ModelCard(ModelCard.FORMAT, "tiny", "1", "test model", config, scheduler, "epsilon",
                tokenizer == null ? null
                        : new ModelCard.TokenizerSpec(tokenizer.vocabulary().words(), tokenizer.maxLength()),
                new ModelCard.DataRecipe("procedural-shapes", "train", 8, 0.1f, "test captions"),
                new ModelCard.TrainingRecord("test", 0, 4, 1, 1e-3f, 0, 0.9f, 1f, 0, 1.0, null),
                new ModelCard.SamplingDefaults("DDIMScheduler", 10, 3f), Map.of("note", JsonNodeFactory.instance.textNode("none")));
    }
}
