package io.stipple.stack.test;

import io.stipple.stack.LocalStack;
import io.stipple.stack.StackEndpoints;
import io.stipple.stack.StackSettings;
import io.stipple.stack.process.Directories;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.RuntimeMBeanException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

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

    /**
     * Where the started stack's {@link StackControlMBean} is registered. The platform MBean server is one
     * per JVM and is called with JDK types only, so a Quarkus test, whose class loader did not start the
     * stack, can run a fault drill too. (A non-string system property would do the same, but other
     * libraries copy the system properties as strings and fail on it.)
     */
    private static final String CONTROL_NAME = "io.stipple.stack.test:type=TestStack";

    /** The servers a fault drill can stop and start again. */
    public enum Server {
        KAFKA("kafka"), POSTGRES("postgres"), S3("s3proxy");

        private final String part;

        Server(String part) {
            this.part = part;
        }
    }

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
            registerControl(stack);
            Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "stipple-test-stack-stop"));
            System.setProperty(STARTED_PROPERTY, LocalStack.endpointsFile(home).toString());
            return stack.endpoints();
        }
    }

    /**
     * Fault drills: stops one server of the shared stack in place (same ports, same data directory),
     * so the services using it see an outage; {@link #start(Server)} brings it back. Works from plain
     * JUnit tests ({@link StippleStackExtension}) and from Quarkus tests alike, whichever class loader
     * started the stack.
     *
     * @throws io.stipple.stack.StackException when the server is external (a {@code STIPPLE_*} variable names it)
     */
    public static void stop(Server server) {
        control("stop", server);
    }

    /** Starts a server stopped by {@link #stop(Server)} again and waits until it is ready. */
    public static void start(Server server) {
        control("start", server);
    }

    /** What the stack's MBean offers; public because the MBean server introspects it. */
    public interface StackControlMBean {
        void stop(String part);

        void start(String part);
    }

    private record StackControl(LocalStack stack) implements StackControlMBean {
        @Override
        public void stop(String part) {
            stack.stopInPlace(part);
        }

        @Override
        public void start(String part) {
            stack.startAgain(part);
        }
    }

    private static void registerControl(LocalStack stack) {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new StandardMBean(new StackControl(stack),
                    StackControlMBean.class), new ObjectName(CONTROL_NAME));
        } catch (JMException e) {
            throw new IllegalStateException("cannot register the test stack's control", e);
        }
    }

    private static void control(String operation, Server server) {
        endpoints();
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName(CONTROL_NAME), operation,
                    new Object[] {server.part}, new String[] {String.class.getName()});
        } catch (InstanceNotFoundException e) {
            throw new IllegalStateException("the test stack was not started by this JVM", e);
        } catch (RuntimeMBeanException e) {
            throw e.getTargetException();
        } catch (JMException e) {
            throw new IllegalStateException(operation + " " + server.part + " failed", e);
        }
    }

    /** The configuration properties a Stipple service reads, pointing at the shared stack. */
    public static Map<String, String> quarkusConfig() {
        return endpoints().quarkusConfig();
    }
}
