package io.stipple.workbench.cli;

import io.stipple.engine.export.ModelCard;
import io.stipple.engine.training.TrainerConfig;
import io.stipple.engine.training.TrainingRun;
import io.stipple.engine.schedulers.SchedulerConfig;
import io.stipple.engine.schedulers.SchedulerConfigs;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Options every diffusion training command shares (a picocli mixin): work directory, length, seed, optimiser, schedule, export. */
final class TrainingOptions {

    @Option(names = "--work", required = true, description = "Work directory: checkpoint, loss.csv, loss.png (resumes if a checkpoint is there).")
    Path work;

    @Option(names = "--steps", defaultValue = "6000", description = "Total optimizer steps.")
    long steps;

    @Option(names = "--batch", defaultValue = "32")
    int batch;

    @Option(names = "--seed", defaultValue = "1", description = "Seeds weights, batches, noise, timesteps and dropout.")
    long seed;

    @Option(names = "--lr", defaultValue = "5e-4")
    float learningRate;

    @Option(names = "--warmup", defaultValue = "200")
    int warmup;

    @Option(names = "--ema-decay", defaultValue = "0.999")
    float emaDecay;

    @Option(names = "--clip-norm", defaultValue = "1.0")
    float clipNorm;

    @Option(names = "--checkpoint-every", defaultValue = "250")
    int checkpointEvery;

    @Option(names = "--prediction-type", defaultValue = "v_prediction", description = "epsilon, v_prediction or sample.")
    String predictionType;

    @Option(names = "--beta-schedule", defaultValue = "linear", description = "linear, scaled_linear or squaredcos_cap_v2.")
    String betaSchedule;

    @Option(names = "--out", description = "Model folder to export to when training is complete (e.g. models/<name>/1).")
    Path out;

    @Option(names = "--model-version", defaultValue = "1")
    String version;

    /** The training noise schedule (DDPM betas; the card records it for every sampler). */
    SchedulerConfig schedulerConfig() {
        return SchedulerConfigs.defaults("DDPMScheduler",
                Map.of("prediction_type", predictionType, "beta_schedule", betaSchedule));
    }

    TrainerConfig trainerConfig() {
        return new TrainerConfig(learningRate, warmup, 0.9f, 0.999f, 1e-8f, clipNorm, emaDecay);
    }

    /** The card's training record; the command is the whole command line as typed (reproduces the run). */
    ModelCard.TrainingRecord record(CommandSpec spec, TrainingRun.Summary summary, long parameters) {
        // originalArgs() holds the whole command line from the top-level command, the subcommand included.
        String command = "./stipple-engine " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        return new ModelCard.TrainingRecord(command, summary.steps(), batch, seed, learningRate, warmup, emaDecay,
                clipNorm, parameters, summary.finalLoss(), summary.secondsPerStep() > 0 ? summary.secondsPerStep() : null);
    }
}
