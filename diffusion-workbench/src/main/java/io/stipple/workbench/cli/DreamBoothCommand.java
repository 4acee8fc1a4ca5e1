package io.stipple.workbench.cli;

import picocli.CommandLine.Command;

/** {@code dreambooth train | eval}: fine-tune on the built-in subject and measure the result. */
@Command(name = "dreambooth", mixinStandardHelpOptions = true,
        description = "DreamBooth fine-tuning on the built-in subject, and its measurements.",
        subcommands = {DreamBoothTrainCommand.class, DreamBoothEvalCommand.class})
public final class DreamBoothCommand {
}
