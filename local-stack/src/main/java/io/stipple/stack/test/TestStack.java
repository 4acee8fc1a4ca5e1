package io.stipple.stack.test;

import io.stipple.stack.LocalStack;
import io.stipple.stack.StackEndpoints;
import io.stipple.stack.StackSettings;
import io.stipple.stack.process.Directories;
import java.nio.file.Path;
import java.util.Map;

/**
 * One stack per test JVM, shared by every test class and by both the Quarkus test resource and the
 * JUnit extension.
 *
 * <p>Where the {@code STIPPLE_KAFKA_BOOTSTRAP}, {@code STIPPLE_DB_URL} or {@code STIPPLE_S3_ENDPOINT}
 * variables name running servers, those are used; the rest is started on free ports under
 * {@code target/stipple-stack} (or {@code -Dstipple.test.home}) and stopped when the JVM exits.
 */
public final class TestStack {

    /**
     * Holds the path of the started stack's endpoints file. A system property, not a static field,
     * because Quarkus loads test resources in several class loaders and they must share one stack.
     */
    static final String STARTED_PROPERTY = "stipple.test-stack.endpoints-file";

    /** The servers a fault drill can stop and start again. */
    public enum Server {
        KAFKA("kafka"), POSTGRES("postgres"), S3("s3proxy");

        private final String part;

        Server(String part) {
            this.part = part;
        }
    }

    /** The stack this class loader started, for {@link #stop(Server)} and {@link #start(Server)}. */
    private static LocalStack startedHere;

    private TestStack() {
    }

    /** Starts the shared stack on first use; later calls (from any class loader) return the same endpoints. */
    public static StackEndpoints endpoints() {
        // An interned literal is the same object in every class loader: a JVM-wide lock.
        synchronized ("io.stipple.stack.test.TestStack".intern()) {
            String started = System.getProperty(STARTED_PROPERTY);
            if (started != null) {
                return StackEndpoints.readFrom(Path.of(started));
            }
            Path home = Path.of(System.getProperty("stipple.test.home", "target/stipple-stack")).toAbsolutePath();
            StackSettings settings = StackSettings.ephemeral(home).withEnvironment(System.getenv());
            // Servers left behind by a test JVM that was killed, then their data: every run starts clean.
            LocalStack.stop(settings);
            Directories.deleteRecursively(home);
            LocalStack stack = LocalStack.start(settings);
            startedHere = stack;
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "stipple-test-stack-stop"));
            System.setProperty(STARTED_PROPERTY, LocalStack.endpointsFile(home).toString());
            return stack.endpoints();
        }
    }

    /**
     * Fault drills: stops one server of the shared stack in place (same ports, same data directory),
     * so the services using it see an outage; {@link #start(Server)} brings it back. Works from plain
     * JUnit tests ({@link StippleStackExtension}), which run in the class loader that started the stack.
     *
     * @throws IllegalStateException when this class loader did not start the stack (e.g. a Quarkus
     *         test's), or the server is external (a {@code STIPPLE_*} variable names it)
     */
    public static void stop(Server server) {
        stack().stopInPlace(server.part);
    }

    /** Starts a server stopped by {@link #stop(Server)} again and waits until it is ready. */
    public static void start(Server server) {
        stack().startAgain(server.part);
    }

    private static LocalStack stack() {
        endpoints();
        if (startedHere == null) {
            throw new IllegalStateException("the test stack was started in another class loader; stop/start servers from"
                    + " plain JUnit tests (StippleStackExtension)");
        }
        return startedHere;
    }

    /** The configuration properties a Stipple service reads, pointing at the shared stack. */
    public static Map<String, String> quarkusConfig() {
        return endpoints().quarkusConfig();
    }
}
