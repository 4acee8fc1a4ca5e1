package io.stipple.workbench.cli;

import io.stipple.engine.schedulers.SchedulerConfig;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.text.TextEncoderConfig;
import io.stipple.engine.text.Tokenizer;
import io.stipple.engine.text.Vocabulary;
import io.stipple.engine.training.DiffusionTrainer;
import io.stipple.workbench.training.ProceduralTrainingData;
import io.stipple.engine.training.TrainerConfig;
import io.stipple.engine.training.TrainingRun;
import io.stipple.engine.unet.ModelConfig;
import io.stipple.engine.unet.UNetConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.engine.export.ModelCard;
import io.stipple.engine.export.ModelFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains a text-conditioned base model on the built-in dataset. The defaults are the bundled
 * {@code stipple-base-16} model's recipe; see docs/models.md for the exact command.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a text-conditioned diffusion model on the built-in shapes dataset (resumable).")
public final class TrainCommand implements Callable<Integer> {

    /** Training captions the vocabulary is built from (deterministic: the first N of the train split). */
    static final int VOCABULARY_CAPTIONS = 20_000;

    @Mixin
    TrainingOptions training;

    @Option(names = "--caption-dropout", defaultValue = "0.1")
    float captionDropout;

    @Option(names = "--image-size", defaultValue = "16")
    int imageSize;

    @Mixin
    UNetShapeOptions unet = new UNetShapeOptions(32, 16);

    @Option(names = "--attention", defaultValue = "8,4", split = ",", description = "Resolutions with self- and cross-attention.")
    List<Integer> attention;

    @Option(names = "--heads", defaultValue = "4")
    int heads;

    @Option(names = "--text-width", defaultValue = "64")
    int textWidth;

    @Option(names = "--text-layers", defaultValue = "2")
    int textLayers;

    @Option(names = "--max-tokens", defaultValue = "16")
    int maxTokens;

    @Option(names = "--model-name", defaultValue = "stipple-base-16")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Vocabulary vocabulary = Vocabulary.fromCaptions(ProceduralTrainingData.captions(VOCABULARY_CAPTIONS));
        Tokenizer tokenizer = new Tokenizer(vocabulary, maxTokens);
        ModelConfig model = modelConfig(vocabulary);
        SchedulerConfig schedulerConfig = training.schedulerConfig();
        TrainerConfig trainerConfig = training.trainerConfig();
        long buildStart = System.nanoTime();
        try (DiffusionTrainer trainer = new DiffusionTrainer(model, tokenizer, SchedulerConfigs.create(schedulerConfig),
                trainerConfig, training.seed, captionDropout)) {
            System.out.printf("graph built in %.2f s; %d parameters%n", (System.nanoTime() - buildStart) / 1e9,
                    trainer.parameterCount());
            TrainingRun run = new TrainingRun(trainer, new ProceduralTrainingData(imageSize, training.batch, training.seed),
                    training.work, training.checkpointEvery, System.out);
            TrainingRun.Summary summary = run.run(training.steps, "stipple base " + imageSize + "x" + imageSize);
            System.out.printf("done: %d steps, final loss %.4f, %.3f s/step%n", summary.steps(), summary.finalLoss(),
                    summary.secondsPerStep());
            if (training.out != null) {
                Map<String, TFloat32> weights = trainer.averagedWeights();
                try {
                    ModelFolder.write(training.out, model, weights, card(model, vocabulary, schedulerConfig, trainer, summary),
                            training.work);
                } finally {
                    weights.values().forEach(TFloat32::close);
                }
                System.out.println("exported " + training.out);
            }
        }
        return 0;
    }

    private ModelCard card(ModelConfig model, Vocabulary vocabulary, SchedulerConfig schedulerConfig,
            DiffusionTrainer trainer, TrainingRun.Summary summary) throws IOException {
        return new ModelCard(ModelCard.FORMAT, name, training.version,
                "Text-conditioned " + imageSize + "x" + imageSize + " base model trained on the built-in procedural"
                        + " shapes dataset (shapes, colours, sizes, 3x3 positions, backgrounds).",
                model, new ObjectMapper().readTree(SchedulerConfigs.toJson(schedulerConfig)), training.predictionType,
                new ModelCard.TokenizerSpec(vocabulary.words(), maxTokens),
                new ModelCard.DataRecipe("procedural-shapes", "TRAIN", imageSize, captionDropout,
                        "words of the first " + VOCABULARY_CAPTIONS + " TRAIN captions plus reserved identifiers "
                                + Vocabulary.RESERVED_IDENTIFIERS),
                training.record(spec, summary, trainer.parameterCount()),
                new ModelCard.SamplingDefaults("dpmpp_2m", 20, 3f), Map.of());
    }

    ModelConfig modelConfig(Vocabulary vocabulary) {
        return new ModelConfig(
                new UNetConfig(imageSize, 3, 0, unet.baseChannels, unet.channelMultipliers, unet.resBlocks, attention, heads,
                        unet.groups, textWidth, false),
                new TextEncoderConfig(vocabulary.size(), maxTokens, textWidth, textLayers, heads));
    }
}
