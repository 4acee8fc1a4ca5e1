package io.stipple.cli;

import io.stipple.cli.api.ApiException;
import io.stipple.cli.api.MissingApiKeyException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;

/**
 * {@code stipple}: the user's command line over the gateway's REST API. {@code ./stipple} at the
 * repository root dispatches these commands here ({@code run} and {@code stack} go to local-stack).
 */
@Command(name = "stipple", mixinStandardHelpOptions = true,
        description = "Generate images and fine-tune models on a Stipple gateway.",
        subcommands = {GenerateCommand.class, FineTuneCommand.class, JobsCommand.class, CancelCommand.class,
                ModelsCommand.class, DemoCommand.class},
        footerHeading = "%nExit status:%n",
        footer = {"  0  done", "  1  the job failed or was canceled (or an unexpected error)", "  2  usage error or no API key",
                "  3  the gateway refused the request (its problem is printed)", "  4  the gateway could not be reached"})
public final class StippleCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with Stipple's error handling: one line per failure and a meaningful exit code. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new StippleCli());
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("stipple: " + message(e)));
            cmd.getErr().flush();
            return exitCode(e);
        });
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static int exitCode(Exception e) {
        if (e instanceof ApiException) {
            return ExitCodes.API_ERROR;
        }
        if (e instanceof MissingApiKeyException) {
            return ExitCodes.USAGE;
        }
        if (e instanceof GatewayUnreachableException || e instanceof UncheckedIOException) {
            return ExitCodes.UNREACHABLE;
        }
        return 1;
    }

    static String message(Exception e) {
        if (e instanceof UncheckedIOException io) {
            Throwable cause = io.getCause();
            if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
                return "cannot reach the gateway (" + cause.getClass().getSimpleName() + "); is it running? Check --api-url";
            }
            if (cause instanceof HttpTimeoutException) {
                return "the gateway did not answer in time";
            }
            return io.getMessage();
        }
        return e.getMessage();
    }
}
