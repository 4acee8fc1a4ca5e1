package io.stipple.stack;

import io.stipple.stack.process.ServerProcess;
import io.stipple.stack.process.ServerProcess.StopSignal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One piece of infrastructure (Kafka, PostgreSQL, S3): either a server this stack runs as its own
 * process, or an external one it only checks and provisions. Subclasses say how to prepare, launch,
 * probe and provision; this class does the lifecycle every part shares.
 */
public abstract class StackPart {

    /** What {@link #status()} found. */
    public record Status(String part, State state, String address, Optional<Long> pid, Path log) {

        public String describe() {
            return switch (state) {
                case RUNNING -> "%-8s running  %s (pid %d), log %s".formatted(part, address, pid.orElse(-1L), log);
                case NOT_READY -> "%-8s NOT READY %s (pid %d): see %s".formatted(part, address, pid.orElse(-1L), log);
                case EXTERNAL -> "%-8s external %s".formatted(part, address);
                case EXTERNAL_DOWN -> "%-8s external %s, NOT REACHABLE".formatted(part, address);
                case STOPPED -> "%-8s stopped".formatted(part);
            };
        }
    }

    public enum State { RUNNING, NOT_READY, EXTERNAL, EXTERNAL_DOWN, STOPPED }

    protected final StackSettings settings;
    private final ServerProcess process;
    private Process launched;

    protected StackPart(StackSettings settings, String name, String marker) {
        this.settings = settings;
        this.process = new ServerProcess(name, settings.home().resolve("run").resolve(name + ".pid"),
                settings.home().resolve("logs").resolve(name + ".log"), marker);
    }

    public final String name() {
        return process.name();
    }

    public final Path logFile() {
        return process.logFile();
    }

    /** True when the server is not run by this stack. */
    protected abstract boolean external();

    /** The address clients use (bootstrap servers, JDBC URL, endpoint URL). */
    public abstract String address();

    /** The local ports the server binds. */
    protected abstract List<Integer> ports();

    /** Writes configuration and initialises data on first use (format, initdb). */
    protected abstract void prepare() throws Exception;

    protected abstract List<String> command();

    protected Map<String, String> environment() {
        return Map.of();
    }

    protected StopSignal stopSignal() {
        return StopSignal.TERM;
    }

    /** One quick readiness probe; false (or an exception) means not yet. */
    protected abstract boolean probe() throws Exception;

    /** Creates what Stipple expects to exist (topics, database, bucket); idempotent. */
    protected abstract void provision() throws Exception;

    /**
     * Starts the server unless it already runs from this state directory, or is external.
     *
     * @return true when this call launched it (so only then should its owner stop it)
     */
    public final boolean start() {
        if (external() || process.running().isPresent()) {
            return false;
        }
        checkPortsFree();
        try {
            prepare();
        } catch (StackException e) {
            throw e;
        } catch (Exception e) {
            throw new StackException("Could not prepare %s: %s; see %s".formatted(name(), e, logFile()), e);
        }
        launched = process.launch(command(), environment(), settings.detached());
        return true;
    }

    /**
     * Fails with a message naming the port when a server this stack would launch cannot bind it.
     * {@link LocalStack} checks every part before launching any, so nothing starts half-way.
     */
    public final void checkPortsFree() {
        if (external() || process.running().isPresent()) {
            return;
        }
        for (int port : ports()) {
            if (Ports.isListening(port)) {
                throw new StackException(("Port %d, needed by %s, is already taken by another process. Stop that process or"
                        + " choose other ports (see docs/local-stack.md, STIPPLE_*_PORT).").formatted(port, name()));
            }
        }
    }

    /** Waits until the server answers, then provisions it. */
    public final void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (true) {
            if (!external() && launched != null && !launched.isAlive()) {
                throw new StackException("%s exited with code %d while starting; see %s, which ends with:%n%s".formatted(
                        name(), launched.exitValue(), logFile(), process.logTail(15)));
            }
            try {
                // A port check first: clients probing a server that is not listening yet log a lot.
                if ((external() || ports().stream().allMatch(Ports::isListening)) && probe()) {
                    break;
                }
            } catch (Exception e) {
                last = e;
            }
            if (Instant.now().isAfter(deadline)) {
                String where = external() ? address() : "see " + logFile();
                throw new StackException("%s did not become ready within %d s (last error: %s); %s".formatted(
                        name(), timeout.toSeconds(), last, where), last);
            }
            sleep(Duration.ofMillis(200));
        }
        try {
            provision();
        } catch (Exception e) {
            throw new StackException("Could not provision %s at %s: %s".formatted(name(), address(), e), e);
        }
    }

    /** Stops the server if it runs from this state directory; external servers are left alone. */
    public final void stop() {
        if (!external()) {
            process.stop(stopSignal(), settings.durable() ? Duration.ofSeconds(60) : Duration.ofSeconds(15));
        }
    }

    public final Status status() {
        if (external()) {
            return new Status(name(), probeQuietly() ? State.EXTERNAL : State.EXTERNAL_DOWN, address(), Optional.empty(), logFile());
        }
        Optional<ProcessHandle> running = process.running();
        if (running.isEmpty()) {
            return new Status(name(), State.STOPPED, address(), Optional.empty(), logFile());
        }
        State state = probeQuietly() ? State.RUNNING : State.NOT_READY;
        return new Status(name(), state, address(), running.map(ProcessHandle::pid), logFile());
    }

    private boolean probeQuietly() {
        try {
            return probe();
        } catch (Exception e) {
            return false;
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while waiting", e);
        }
    }
}
