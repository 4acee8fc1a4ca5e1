package io.stipple.stack.cli;

import io.stipple.stack.LocalStack;
import io.stipple.stack.StackEndpoints;
import io.stipple.stack.StackSettings;
import io.stipple.stack.StippleService;
import io.stipple.stack.process.RunningService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stipple run}: the stack (reused when running), then the four services from their built
 * Quarkus apps, in the foreground until Ctrl-C, which stops the services and then whatever part
 * of the stack this command started.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Starts the stack and the four services in the foreground; Ctrl-C stops what it started.")
final class RunCommand implements Callable<Integer> {

    /** One service and its HTTP port; its management interface (health, metrics) listens on that port + 1000. */
    record Service(StippleService service, int port) {
    }

    @Mixin
    StackOptions stackOptions;

    @Option(names = "--gateway-port", defaultValue = "${env:STIPPLE_GATEWAY_PORT:-8080}", description = "default ${DEFAULT-VALUE}")
    int gatewayPort;

    @Option(names = "--scheduler-port", defaultValue = "${env:STIPPLE_SCHEDULER_PORT:-8081}", description = "default ${DEFAULT-VALUE}")
    int schedulerPort;

    @Option(names = "--worker-port", defaultValue = "${env:STIPPLE_WORKER_PORT:-8082}", description = "default ${DEFAULT-VALUE}")
    int workerPort;

    @Option(names = "--trainer-port", defaultValue = "${env:STIPPLE_TRAINER_PORT:-8083}", description = "default ${DEFAULT-VALUE}")
    int trainerPort;

    @Option(names = "--gateway-host", defaultValue = "${env:STIPPLE_GATEWAY_HOST:-127.0.0.1}",
            description = "Address the gateway listens on (default ${DEFAULT-VALUE}: this machine only).")
    String gatewayHost;

    @Option(names = "--no-dev-key", description = "No development tenant and key (see README); you bring your own key.")
    boolean noDevelopmentKey;

    @Option(names = "--ready-timeout", defaultValue = "180", description = "Seconds to wait for each service's readiness (default ${DEFAULT-VALUE}).")
    int readyTimeoutSeconds;

    /** What this run started; guarded by itself, as is {@link #stopping}: the shutdown hook may run during any step. */
    private final List<RunningService> startedServices = new ArrayList<>();
    private boolean stopping;

    @Override
    public Integer call() throws InterruptedException {
        // Before anything starts: refuses the development key on an address other machines reach.
        GatewayAccess access = GatewayAccess.choose(System.getenv(), !noDevelopmentKey, gatewayHost);
        StackSettings settings = stackOptions.settings();
        LocalStack stack = LocalStack.of(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        // Before anything starts: a Ctrl-C while the stack or the services are still starting stops them too.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopEverything(stack);
            stopped.countDown();
        }, "stipple-run-stop"));

        System.out.println("Starting the stack in " + settings.home() + " ...");
        StackEndpoints endpoints = stack.launch().endpoints();
        StackCommand.printStatus(LocalStack.status(settings));

        Path repo = Main.repositoryRoot();
        List<String> javaOptions = Optional.ofNullable(System.getenv("STIPPLE_SERVICE_JAVA_OPTS"))
                .map(o -> Arrays.stream(o.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList()).orElse(List.of());
        for (Service planned : services()) {
            StippleService service = planned.service();
            Path jar = repo.resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                System.out.printf("Skipping %s: %s is not built as a Quarkus app (no %s)%n", service.displayName(),
                        service.module(), repo.relativize(jar));
                continue;
            }
            synchronized (startedServices) {
                if (stopping) {
                    break;
                }
                Map<String, String> config = new LinkedHashMap<>(service.config(endpoints));
                if (service == StippleService.GATEWAY) {
                    config.putAll(access.gatewayConfig());
                }
                startedServices.add(RunningService.launch(service.displayName(), jar, planned.port(),
                        RunningService.managementPortOf(planned.port()), config,
                        Map.of(), javaOptions, settings.home().resolve("logs").resolve(service.displayName() + ".log")));
            }
        }
        List<String> urls = new ArrayList<>();
        List<RunningService> launched;
        synchronized (startedServices) {
            launched = List.copyOf(startedServices);
        }
        launched.parallelStream().forEach(s -> {
            boolean ready = s.awaitReady(Duration.ofSeconds(readyTimeoutSeconds));
            String line = "  %-9s %s  %s".formatted(s.name(), s.url(),
                    ready ? "ready (health and metrics: %s/q/health, /q/metrics)".formatted(s.managementUrl())
                            : s.isAlive() ? "NOT READY after " + readyTimeoutSeconds + " s, see its log" : "EXITED, see its log");
            synchronized (urls) {
                urls.add(line);
            }
        });
        if (!stopping()) {
            printRunning(settings, endpoints, urls, access);
        }
        stopped.await();
        return 0;
    }

    private boolean stopping() {
        synchronized (startedServices) {
            return stopping;
        }
    }

    private void printRunning(StackSettings settings, StackEndpoints endpoints, List<String> urls, GatewayAccess access) {
        System.out.println();
        System.out.println("Stack endpoints (the services' settings):");
        endpoints.quarkusConfig().forEach((key, value) -> System.out.printf("  %-30s %s%n", key, value));
        System.out.println("Stipple is running (Ctrl-C stops it). Logs: " + settings.home().resolve("logs"));
        urls.stream().sorted().forEach(System.out::println);
        access.notice().forEach(System.out::println);
        System.out.println(howToUse(access));
    }

    /** The last lines a user sees: the console and one CLI command, with the key this run set up, if any. */
    private String howToUse(GatewayAccess access) {
        String key = access.apiKey().orElse("<your API key>");
        String api = gatewayPort == 8080 ? "" : "STIPPLE_API_URL=http://localhost:" + gatewayPort + " ";
        return "Console: http://localhost:%d/console/%nTry:     %sSTIPPLE_API_KEY=%s ./stipple generate \"%s\"".formatted(
                gatewayPort, api, key, "a large blue square in the center on a white background");
    }

    /** The services this run started, then the stack parts it launched (a reused stack keeps running). */
    private void stopEverything(LocalStack stack) {
        List<RunningService> started;
        synchronized (startedServices) {
            stopping = true;
            started = List.copyOf(startedServices);
        }
        System.out.println("Stopping what this run started ...");
        started.parallelStream().forEach(s -> s.stop(Duration.ofSeconds(30)));
        stack.close();
    }

    private List<Service> services() {
        return List.of(new Service(StippleService.GATEWAY, gatewayPort),
                new Service(StippleService.SCHEDULER, schedulerPort),
                new Service(StippleService.GPU_WORKER, workerPort),
                new Service(StippleService.TRAINER, trainerPort));
    }
}
