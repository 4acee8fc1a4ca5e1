package io.stipple.stack.cli;

import io.stipple.stack.LocalStack;
import io.stipple.stack.StackEndpoints;
import io.stipple.stack.StackPart;
import io.stipple.stack.StackSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code stipple stack start|stop|status}. */
@Command(name = "stack", mixinStandardHelpOptions = true, description = "Start, check or stop Kafka, PostgreSQL and S3.",
        subcommands = {StackCommand.Start.class, StackCommand.Stop.class, StackCommand.Status.class})
final class StackCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Starts every part that is not running yet and waits until all are ready (idempotent).")
    static final class Start implements Callable<Integer> {

        @Mixin
        StackOptions options;

        @Override
        public Integer call() {
            StackSettings settings = options.settings();
            Instant begin = Instant.now();
            LocalStack stack = LocalStack.start(settings);
            System.out.printf("Stack ready in %.1f s (%s)%n", Duration.between(begin, Instant.now()).toMillis() / 1000.0,
                    stack.launchedAny() ? "started" : "already running");
            stack.readyAfter().forEach((part, after) -> System.out.printf("  %-8s ready after %.1f s%n", part, after.toMillis() / 1000.0));
            printStatus(LocalStack.status(settings));
            printEndpoints(stack.endpoints(), settings);
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops every part running from the state directory.")
    static final class Stop implements Callable<Integer> {

        @Mixin
        StackOptions options;

        @Override
        public Integer call() {
            StackSettings settings = options.settings();
            LocalStack.stop(settings);
            printStatus(LocalStack.status(settings));
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "One line per part; exit code 0 when all are ready, 3 otherwise.")
    static final class Status implements Callable<Integer> {

        @Mixin
        StackOptions options;

        @Override
        public Integer call() {
            List<StackPart.Status> status = LocalStack.status(options.settings());
            printStatus(status);
            boolean ready = status.stream().allMatch(s -> s.state() == StackPart.State.RUNNING || s.state() == StackPart.State.EXTERNAL);
            return ready ? 0 : 3;
        }
    }

    static void printStatus(List<StackPart.Status> status) {
        status.forEach(s -> System.out.println("  " + s.describe()));
    }

    static void printEndpoints(StackEndpoints endpoints, StackSettings settings) {
        System.out.println("Endpoints (also in " + LocalStack.endpointsFile(settings.home()) + "):");
        endpoints.quarkusConfig().forEach((key, value) -> System.out.printf("  %-30s %s%n", key, value));
    }
}
