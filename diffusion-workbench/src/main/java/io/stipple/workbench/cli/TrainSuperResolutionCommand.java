package io.stipple.workbench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.workbench.cascade.SuperResolutionTrainingData;
import io.stipple.engine.export.ModelCard;
import io.stipple.engine.export.ModelFolder;
import io.stipple.engine.model.SuperResolutionSpec;
import io.stipple.engine.schedulers.NoiseSchedule;
import io.stipple.engine.schedulers.SchedulerConfig;
import io.stipple.engine.schedulers.SchedulerConfigs;
import io.stipple.engine.training.DiffusionTrainer;
import io.stipple.engine.training.TrainingRun;
import io.stipple.engine.unet.ModelConfig;
import io.stipple.engine.unet.UNetConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tensorflow.types.TFloat32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Trains a super-resolution stage on the built-in dataset: random crops of high-resolution renders
 * conditioned on the matching crop of the noise-augmented, bicubically upsampled low-resolution
 * render (docs/cascade.md). The network is fully convolutional and text-free, so it is exported at
 * the full output size. docs/models.md has the commands of the bundled stages (optimiser options
 * spelled out: their defaults are the base model's).
 */
@Command(name = "train-sr", mixinStandardHelpOptions = true,
        description = "Train a super-resolution stage (low-res render -> high-res render) on the shapes dataset (resumable).")
public final class TrainSuperResolutionCommand implements Callable<Integer> {

    @Mixin
    TrainingOptions training;

    @Option(names = "--low-size", defaultValue = "32", description = "Input (conditioning) resolution.")
    int lowSize;

    @Option(names = "--high-size", defaultValue = "64", description = "Output resolution.")
    int highSize;

    @Option(names = "--crop", defaultValue = "16", description = "Side of the random training crops of the output.")
    int crop;

    @Mixin
    UNetShapeOptions unet = new UNetShapeOptions(16, 8);

    @Option(names = "--max-aug-level", defaultValue = "350", description = "Augmentation timesteps drawn uniformly from 0..this in training.")
    int maxAugLevel;

    @Option(names = "--residual-scale", defaultValue = "1", description = "The network generates the residual over bicubic times this; "
            + "choose it so the scaled residual's rms is about 0.5 (printed at the start).")
    double residualScale;

    @Option(names = "--default-aug-level", defaultValue = "0", description = "Augmentation level recorded as the sampling default for real inputs (choose by measurement).")
    int defaultAugLevel;

    @Option(names = "--default-cascade-aug-level", description = "Augmentation level recorded as the sampling default for a base model's samples (default: --default-aug-level; choose by measurement).")
    Integer defaultCascadeAugLevel;

    @Option(names = "--default-sampler", defaultValue = "dpmpp_2m", description = "Sampler recorded as the sampling default.")
    String defaultSampler;

    @Option(names = "--default-steps", defaultValue = "20", description = "Sampling steps recorded as the default.")
    int defaultSteps;

    @Option(names = "--default-sampler-setting", description = "Diffusers scheduler key=value recorded as a sampling "
            + "default, e.g. timestep_spacing=trailing (repeatable).")
    Map<String, String> defaultSamplerSettings = new LinkedHashMap<>();

    @Option(names = "--model-name", defaultValue = "stipple-sr-32-64")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ModelConfig cropModel = modelConfig(crop);
        // x0 clipping (DDIM's clip_sample) must bound the scaled residual: residuals of images in [-1, 1] lie in [-2, 2].
        SchedulerConfig schedulerConfig = training.schedulerConfig()
                .with(Map.of("clip_sample_range", 2 * residualScale));
        try (DiffusionTrainer trainer = new DiffusionTrainer(cropModel, null, SchedulerConfigs.create(schedulerConfig),
                training.trainerConfig(), training.seed, 0f)) {
            System.out.printf("%d parameters; training on %dx%d crops of %dx%d%n", trainer.parameterCount(), crop, crop,
                    highSize, highSize);
            var data = new SuperResolutionTrainingData(lowSize, highSize, crop, training.batch, maxAugLevel,
                    (float) residualScale, NoiseSchedule.of(schedulerConfig), training.seed);
            System.out.printf("scaled residual rms %.3f (first batch)%n", rms(data.batch(0).images()));
            TrainingRun run = new TrainingRun(trainer, data, training.work, training.checkpointEvery, System.out);
            TrainingRun.Summary summary = run.run(training.steps, "stipple SR " + lowSize + "->" + highSize);
            System.out.printf("done: %d steps, final loss %.4f, %.3f s/step%n", summary.steps(), summary.finalLoss(),
                    summary.secondsPerStep());
            if (training.out != null) {
                ModelConfig full = modelConfig(highSize);
                Map<String, TFloat32> weights = trainer.averagedWeights();
                try {
                    ModelFolder.write(training.out, full, weights, card(full, schedulerConfig, trainer, summary),
                            training.work);
                } finally {
                    weights.values().forEach(TFloat32::close);
                }
                System.out.println("exported " + training.out);
            }
        }
        return 0;
    }

    private ModelCard card(ModelConfig model, SchedulerConfig schedulerConfig, DiffusionTrainer trainer,
            TrainingRun.Summary summary) throws Exception {
        return new ModelCard(ModelCard.FORMAT, name, training.version,
                "Super-resolution stage " + lowSize + "x" + lowSize + " -> " + highSize + "x" + highSize
                        + " for the built-in procedural shapes (text-free, fully convolutional, noise-conditioning"
                        + " augmentation).",
                model, new ObjectMapper().readTree(SchedulerConfigs.toJson(schedulerConfig)), training.predictionType, null,
                new ModelCard.DataRecipe("procedural-shapes", "TRAIN", highSize, 0f,
                        "none: the stage is not text-conditioned"),
                training.record(spec, summary, trainer.parameterCount()),
                new ModelCard.SamplingDefaults(defaultSampler, defaultSteps, 1f), Map.of(),
                new SuperResolutionSpec(lowSize, highSize, SuperResolutionSpec.BICUBIC, SuperResolutionSpec.RESIDUAL, crop, maxAugLevel,
                        defaultAugLevel, defaultCascadeAugLevel, residualScale, defaultSamplerSettings));
    }

    private static double rms(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v * v;
        }
        return Math.sqrt(sum / values.length);
    }

    private ModelConfig modelConfig(int size) {
        return new ModelConfig(new UNetConfig(size, 3, 3, unet.baseChannels, unet.channelMultipliers, unet.resBlocks,
                List.of(), 1, unet.groups, 0, true), null);
    }
}
