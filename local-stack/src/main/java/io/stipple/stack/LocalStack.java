package io.stipple.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Kafka, PostgreSQL and an S3 server, started together, each reused when it already runs from the
 * same state directory.
 *
 * <pre>{@code
 * try (LocalStack stack = LocalStack.start(StackSettings.ephemeral(dir))) {
 *     StackEndpoints endpoints = stack.endpoints();
 * }
 * }</pre>
 *
 * {@link #close()} stops only the servers this instance launched; {@link #stop(StackSettings)}
 * stops whatever runs from a state directory (the CLI's {@code stop}).
 */
public final class LocalStack implements AutoCloseable {

    /** Generous: a cold first start unpacks PostgreSQL and formats Kafka on a busy 2-core machine. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final StackSettings settings;
    private final List<StackPart> parts;
    private final Map<String, Duration> readyAfter = new ConcurrentHashMap<>();
    /** Guarded by {@code this}: the parts this instance launched, whether it is closed, how many launches run now. */
    private final List<StackPart> launched = new ArrayList<>();
    private boolean closed;
    private int launching;

    private LocalStack(StackSettings settings, List<StackPart> parts) {
        this.settings = settings;
        this.parts = List.copyOf(parts);
    }

    /** Starts (or reuses) every part in parallel and returns once all are ready and provisioned. */
    public static LocalStack start(StackSettings settings) {
        return of(settings).launch();
    }

    /**
     * A stack that {@link #launch()} starts. Its {@link #close()} may run at any moment, also from
     * another thread while {@link #launch()} is still starting the parts (a Ctrl-C's shutdown hook):
     * it waits for the launches under way and stops what they started, and launches nothing more.
     */
    public static LocalStack of(StackSettings settings) {
        return of(settings, parts(settings));
    }

    /** A stack of other parts than Kafka, PostgreSQL and S3: for tests of the lifecycle alone. */
    static LocalStack of(StackSettings settings, List<StackPart> parts) {
        return new LocalStack(settings, parts);
    }

    /** Starts (or reuses) every part in parallel and returns once all are ready and provisioned; on failure, stops what it launched. */
    public LocalStack launch() {
        parts.forEach(StackPart::checkPortsFree);
        Instant begin = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(parts.size(), runnable -> {
            Thread thread = new Thread(runnable, "stipple-stack-start");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<CompletableFuture<Void>> starts = parts.stream().map(part -> CompletableFuture.runAsync(() -> {
                launchPart(part);
                part.awaitReady(READY_TIMEOUT);
                readyAfter.put(part.name(), Duration.between(begin, Instant.now()));
            }, pool)).toList();
            try {
                CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
            } catch (CompletionException e) {
                // Leave nothing half-started behind; report the first failure as it is.
                close();
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        } finally {
            pool.shutdownNow();
        }
        endpoints().writeTo(endpointsFile(settings.home()));
        return this;
    }

    private void launchPart(StackPart part) {
        synchronized (this) {
            if (closed) {
                throw new StackException("not starting " + part.name() + ": the stack is being stopped");
            }
            launching++;
        }
        try {
            if (part.start()) {
                synchronized (this) {
                    launched.add(part);
                }
            }
        } finally {
            synchronized (this) {
                launching--;
                notifyAll();
            }
        }
    }

    /** Stops every part running from the settings' state directory, in parallel. */
    public static void stop(StackSettings settings) {
        stopAll(parts(settings));
        endpointsFile(settings.home()).toFile().delete();
    }

    /** One status line per part. */
    public static List<StackPart.Status> status(StackSettings settings) {
        return parts(settings).parallelStream().map(StackPart::status).toList();
    }

    /** Where {@link #start} records the endpoints of the running stack, for other processes to read. */
    public static Path endpointsFile(Path home) {
        return home.resolve("stack.properties");
    }

    public StackEndpoints endpoints() {
        return new StackEndpoints(part(KafkaPart.class).address(), part(PostgresPart.class).address(),
                settings.postgres().user(), settings.postgres().password(), part(S3Part.class).address(),
                settings.s3().accessKey(), settings.s3().secretKey(), settings.s3().bucket(), settings.s3().region());
    }

    /** How long after the call to {@link #start} each part was ready and provisioned, by part name. */
    public Map<String, Duration> readyAfter() {
        return Map.copyOf(readyAfter);
    }

    /** Whether this instance launched any server (false when everything was already running or external). */
    public synchronized boolean launchedAny() {
        return !launched.isEmpty();
    }

    public List<StackPart> parts() {
        return parts;
    }

    /**
     * Stops one server of this stack in place, keeping its data and ports, so that a fault drill can
     * bring it back with {@link #startAgain(String)} while its clients keep running.
     *
     * @param partName {@code kafka}, {@code postgres} or {@code s3proxy} (see {@link StackPart#name()})
     * @throws StackException when that part is external: this stack cannot stop a server it does not run
     */
    public void stopInPlace(String partName) {
        StackPart part = localPart(partName);
        part.stop();
    }

    /** Starts a server stopped by {@link #stopInPlace(String)} on the same ports and data, and waits until it is ready. */
    public void startAgain(String partName) {
        StackPart part = localPart(partName);
        part.start();
        part.awaitReady(READY_TIMEOUT);
    }

    private StackPart localPart(String partName) {
        StackPart part = parts.stream().filter(p -> p.name().equals(partName)).findFirst()
                .orElseThrow(() -> new StackException("no part named " + partName + "; parts: "
                        + parts.stream().map(StackPart::name).toList()));
        if (part.external()) {
            throw new StackException(partName + " is external (" + part.address() + "); only servers this stack runs can be stopped");
        }
        return part;
    }

    /**
     * Stops the servers this instance launched, once the launches under way have returned; reused and
     * external ones keep running. Afterwards this instance launches nothing. Idempotent.
     */
    @Override
    public void close() {
        List<StackPart> toStop;
        synchronized (this) {
            closed = true;
            while (launching > 0) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    // Stop what has been launched so far rather than leave it running.
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            toStop = List.copyOf(launched);
        }
        stopAll(toStop);
        if (!toStop.isEmpty()) {
            endpointsFile(settings.home()).toFile().delete();
        }
    }

    private static void stopAll(List<StackPart> parts) {
        CompletableFuture.allOf(parts.stream().map(part -> CompletableFuture.runAsync(part::stop)).toArray(CompletableFuture[]::new))
                .join();
    }

    private static List<StackPart> parts(StackSettings settings) {
        return List.of(new KafkaPart(settings), new PostgresPart(settings), new S3Part(settings));
    }

    private <T extends StackPart> T part(Class<T> type) {
        return parts.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }
}
