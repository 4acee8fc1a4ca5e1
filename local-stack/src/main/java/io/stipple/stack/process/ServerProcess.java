package io.stipple.stack.process;

import io.stipple.stack.StackException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One server run as its own OS process, its output appended to a log file and its pid kept in a pid
 * file, so that a later command (another JVM) can find, check and stop it.
 */
public final class ServerProcess {

    /** How a server wants to be asked to stop. */
    public enum StopSignal {
        /** SIGTERM: Java servers run their shutdown hooks. */
        TERM,
        /** SIGINT: PostgreSQL's "fast" shutdown (SIGTERM would wait for every client to leave). */
        INT
    }

    private static final Optional<Path> SETSID = findExecutable("setsid");

    private final String name;
    private final Path pidFile;
    private final Path logFile;
    private final String marker;

    /**
     * @param marker a string found in the command line of this server and of no other process (a path
     *        under the state directory), so a recycled pid is never taken for our server
     */
    public ServerProcess(String name, Path pidFile, Path logFile, String marker) {
        this.name = name;
        this.pidFile = pidFile;
        this.logFile = logFile;
        this.marker = marker;
    }

    public String name() {
        return name;
    }

    public Path logFile() {
        return logFile;
    }

    /** The live process recorded in the pid file, if it is still ours. */
    public Optional<ProcessHandle> running() {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Launches the server.
     *
     * @param detached run it in its own session (setsid) so that it outlives this JVM and a Ctrl-C in
     *        the terminal does not reach it
     */
    public Process launch(List<String> command, Map<String, String> environment, boolean detached) {
        List<String> full = new ArrayList<>();
        if (detached && SETSID.isPresent()) {
            full.add(SETSID.get().toString());
        }
        full.addAll(command);
        try {
            Files.createDirectories(logFile.getParent());
            Files.createDirectories(pidFile.getParent());
            Files.writeString(logFile, "%n==== %s starting: %s%n".formatted(java.time.Instant.now(), String.join(" ", full)),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(full)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            Files.writeString(pidFile, Long.toString(process.pid()));
            return process;
        } catch (IOException e) {
            throw new StackException("Could not launch %s (%s): %s; see %s".formatted(name, full.get(0), e.getMessage(), logFile), e);
        }
    }

    /** Asks the server to stop, waits up to {@code timeout}, then kills it. */
    public void stop(StopSignal signal, Duration timeout) {
        running().ifPresent(process -> {
            if (signal == StopSignal.INT) {
                sendInterrupt(process);
            } else {
                process.destroy();
            }
            try {
                process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                process.destroyForcibly();
                process.onExit().join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of the log, to put into an error message. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log yet)";
        }
    }

    private static void sendInterrupt(ProcessHandle process) {
        try {
            // The JDK can only send SIGTERM and SIGKILL.
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            process.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Optional<Path> findExecutable(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The java launcher of this JVM, to start the Java servers (Kafka, s3proxy) with. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Whether {@code executable} is on the PATH. */
    public static boolean onPath(String executable) {
        return findExecutable(executable).isPresent();
    }
}
