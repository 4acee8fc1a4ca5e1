package io.stipple.stack.process;

import io.stipple.stack.StackException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Stipple service run from its Quarkus fast-jar as a child process; its output is copied, line
 * by line, to the terminal with a {@code [name]} prefix and to a log file ({@code stipple run}: {@code <state>/logs/<name>.log};
 * the cross-service tests in {@code e2e-tests} use it too).
 */
public final class RunningService {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final int managementPort;
    private final Process process;
    private final Path logFile;

    private RunningService(String name, int port, int managementPort, Process process, Path logFile) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
        this.logFile = logFile;
    }

    /** The management interface's port of a service whose HTTP port is {@code port}, as the services' defaults pair them. */
    public static int managementPortOf(int port) {
        return port + 1000;
    }

    /**
     * Starts {@code java -jar jar} with {@code config} as system properties and {@code environment}
     * added to this process's environment, serving on {@code port} and its health and metrics on
     * {@code managementPort} (Quarkus' management interface).
     */
    public static RunningService launch(String name, Path jar, int port, int managementPort, Map<String, String> config,
            Map<String, String> environment, List<String> javaOptions, Path logFile) {
        List<String> command = new ArrayList<>();
        // Own session: Ctrl-C reaches only the launcher, which stops the services before the stack.
        if (Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"))) {
            command.add("setsid");
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.management.port=" + managementPort);
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        try {
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            Thread pump = new Thread(() -> copyOutput(name, process, logFile), name + "-log");
            pump.setDaemon(true);
            pump.start();
            return new RunningService(name, port, managementPort, process, logFile);
        } catch (IOException e) {
            throw new StackException("Could not start %s from %s: %s".formatted(name, jar, e.getMessage()), e);
        }
    }

    private static void copyOutput(String name, Process process, Path logFile) {
        String prefix = "[%-9s] ".formatted(name);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            String line;
            while ((line = in.readLine()) != null) {
                System.out.println(prefix + line);
                log.println(line);
                log.flush();
            }
        } catch (IOException e) {
            System.err.println(prefix + "log copy stopped: " + e.getMessage());
        }
    }

    public String name() {
        return name;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Its management interface: {@code /q/health}, {@code /q/metrics} (and, but for the gateway, {@code /q/openapi}). */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** {@code /q/health/ready}'s status code on the management interface, or -1 when the service did not answer. */
    public int readiness() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready")).timeout(Duration.ofSeconds(10)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Polls {@link #readiness()} until it answers 200; false when the process died or time ran out. */
    public boolean awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            if (readiness() == 200) {
                return true;
            }
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** The process id, e.g. for a drill to prove a service was not restarted. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The last {@code lines} lines of this service's log file (empty when there is none yet). */
    public List<String> logTail(int lines) {
        try {
            if (!Files.isRegularFile(logFile)) {
                return List.of();
            }
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(could not read " + logFile + ": " + e.getMessage() + ")");
        }
    }

    /** SIGKILL at once, as a crash or an OOM kill would end it: no shutdown hooks run. Returns when it is gone. */
    public void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM (Quarkus shuts down gracefully), then SIGKILL after {@code timeout}. */
    public void stop(Duration timeout) {
        if (!process.isAlive()) {
            return;
        }
        // Through the handle: Process.destroy() would also close our end of the output pipe, and
        // the service's shutdown log would be lost.
        process.toHandle().destroy();
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.toHandle().destroyForcibly();
                process.waitFor();
            }
        } catch (InterruptedException e) {
            process.toHandle().destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
