package io.stipple.workbench.cli;

import io.stipple.workbench.classifier.TrainClassifierCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the engine's command line: {@code train}, {@code train-sr}, {@code generate}, {@code eval}. */
@Command(name = "stipple", mixinStandardHelpOptions = true,
        description = "Train, sample and measure Stipple diffusion models.",
        subcommands = {TrainCommand.class, GenerateCommand.class, EvalCommand.class, BenchmarkCommand.class, ReexportCommand.class, TrainClassifierCommand.class,
                TrainSuperResolutionCommand.class, BatchingBenchmarkCommand.class, EvalSuperResolutionCommand.class,
                DreamBoothCommand.class})
public final class StippleCli {

    public static void main(String[] args) {
        System.exit(new CommandLine(new StippleCli()).execute(args));
    }
}
