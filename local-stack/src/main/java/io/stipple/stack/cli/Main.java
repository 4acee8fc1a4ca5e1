package io.stipple.stack.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./stipple}: the developer's command line (see README.md and docs/local-stack.md). */
@Command(name = "stipple", mixinStandardHelpOptions = true,
        description = "Runs Stipple locally: the infrastructure stack and the four services.",
        subcommands = {StackCommand.class, RunCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("stipple: " + e.getMessage()));
            return 1;
        });
        System.exit(commandLine.execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The repository the script runs from ({@code STIPPLE_REPO}, set by ./stipple), else the working directory. */
    static Path repositoryRoot() {
        return Optional.ofNullable(System.getenv("STIPPLE_REPO")).filter(r -> !r.isBlank()).map(Path::of)
                .orElse(Path.of("")).toAbsolutePath();
    }
}
