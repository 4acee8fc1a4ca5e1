package io.stipple.workbench.classifier;

import io.stipple.engine.classifier.AttributeClassifier;
import io.stipple.engine.classifier.ClassifierConfig;
import io.stipple.engine.classifier.ClassifierExport;
import io.stipple.engine.classifier.NoiseAwareClassifier;
import io.stipple.engine.classifier.SavedClassifier;
import io.stipple.workbench.metrics.AttributeTally;
import io.stipple.engine.schedulers.NoiseSchedule;
import io.stipple.engine.schedulers.SchedulerConfig;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.training.StepResult;
import io.stipple.engine.training.TrainerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains, exports and scores one attribute classifier. Reproduces the bundled ones:
 * <pre>
 * train-classifier --kind clean --steps 4000 --out models/stipple-classifier-16/1
 * train-classifier --kind noise-aware --steps 4000 --scheduler-config models/scheduler_config.ddpm-linear.json \
 *                  --out models/stipple-guidance-classifier-16/1
 * </pre>
 */
@Command(name = "train-classifier", mixinStandardHelpOptions = true,
        description = "Train an attribute classifier on rendered data (its own seed range) and export it as a SavedModel.")
public final class TrainClassifierCommand implements Callable<Integer> {

    @Option(names = "--kind", defaultValue = "clean", description = "clean (measurement) or noise-aware (guidance)")
    String kind;

    @Option(names = "--out", required = true,
            description = "Model version folder to write (must not exist): saved_model/ and card.json")
    Path out;

    @Option(names = "--steps", defaultValue = "3000")
    int steps;

    @Option(names = "--batch", defaultValue = "64")
    int batch;

    @Option(names = "--lr", defaultValue = "2e-3")
    float learningRate;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--scheduler-config", description = "scheduler_config.json of the base model (noise-aware only)")
    Path schedulerConfig;

    @Option(names = "--test-images", defaultValue = "1000", description = "real TEST renders to score on")
    int testImages;

    @Override
    public Integer call() throws Exception {
        boolean noiseAware = switch (kind) {
            case "clean" -> false;
            case "noise-aware" -> true;
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown --kind " + kind);
        };
        if (Files.exists(out)) {
            throw new CommandLine.ParameterException(new CommandLine(this), out + " already exists");
        }
        ClassifierConfig config = noiseAware ? ClassifierConfig.noiseAware16() : ClassifierConfig.clean16();
        SchedulerConfig scheduler = null;
        NoiseSchedule schedule = null;
        if (noiseAware) {
            if (schedulerConfig == null) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--scheduler-config is required for noise-aware");
            }
            scheduler = SchedulerConfigs.fromFile(schedulerConfig);
            schedule = NoiseSchedule.of(scheduler);
        }
        TrainerConfig trainerConfig = new TrainerConfig(learningRate, 200, 0.9f, 0.999f, 1e-8f, 1f, 0.995f);
        long started = System.nanoTime();
        long parameters;
        try (ClassifierTraining training = new ClassifierTraining(config, trainerConfig, schedule, seed)) {
            parameters = training.parameterCount();
            System.out.printf("training %s classifier, %d parameters, %d steps of %d%n", kind, parameters, steps, batch);
            double recent = 0;
            for (int step = 0; step < steps; step++) {
                StepResult result = training.train(batch);
                recent += result.loss();
                if ((step + 1) % 100 == 0) {
                    System.out.printf("step %d loss %.4f (%.0f s)%n", step + 1, recent / 100,
                            (System.nanoTime() - started) / 1e9);
                    recent = 0;
                }
            }
            Map<String, TFloat32> weights = training.averagedWeights();
            try {
                ClassifierExport.export(config, weights, out.resolve(SavedClassifier.SAVED_MODEL));
            } finally {
                weights.values().forEach(TFloat32::close);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, AttributeTally.AttributeScore> accuracy;
        Map<String, AttributeTally.AttributeScore> from64 = null;
        Map<Integer, Map<String, AttributeTally.AttributeScore>> byTimestep = null;
        if (noiseAware) {
            byTimestep = new TreeMap<>();
            try (NoiseAwareClassifier classifier = new NoiseAwareClassifier(out)) {
                for (int t : new int[] {0, 250, 500, 750, schedule.numTrainTimesteps() - 1}) {
                    byTimestep.put(t, NoisyAccuracy.measure(classifier, schedule, testImages, t, seed).scores());
                }
            }
            accuracy = byTimestep.get(0);
        } else {
            try (AttributeClassifier classifier = new AttributeClassifier(out)) {
                accuracy = RealRenderScores.measure(classifier, testImages, config.resolution()).accuracy().scores();
                from64 = RealRenderScores.measure(classifier, testImages, 64).accuracy().scores();
            }
        }
        String command = "stipple train-classifier --kind " + kind + " --steps " + steps + " --batch " + batch + " --lr "
                + learningRate + " --seed " + seed + (noiseAware ? " --scheduler-config " + schedulerConfig : "")
                + " --out " + out;
        ClassifierCard card = new ClassifierCard(kind, command, config, seed, steps, batch, parameters, seconds,
                scheduler == null ? null : SchedulerConfigs.toJson(scheduler), testImages, accuracy, from64, byTimestep);
        card.write(out);
        if (scheduler != null) {
            // The schedule travels with the classifier: guidance must use the base model's own.
            Files.writeString(out.resolve("scheduler_config.json"), SchedulerConfigs.toJson(scheduler));
        }
        System.out.printf("trained in %.0f s; accuracy on %d real test renders: %s%n", seconds, testImages, accuracy);
        if (from64 != null) {
            System.out.printf("from 64x64 renders: %s%n", from64);
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TrainClassifierCommand()).execute(args));
    }
}
