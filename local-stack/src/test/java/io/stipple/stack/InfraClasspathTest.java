package io.stipple.stack;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** local-stack-infra pins its versions itself (it cannot inherit the root pom): they must not drift. */
class InfraClasspathTest {

    @Test
    void kafkaClasspathHasTheRootPomsBrokerVersionAndExistingJars() {
        String version = System.getProperty("stipple.test.kafka.version");
        String[] jars = InfraClasspath.kafka().split(java.io.File.pathSeparator);
        assertTrue(Arrays.stream(jars).anyMatch(j -> j.endsWith("kafka_2.13-" + version + ".jar")),
                "local-stack-infra/pom.xml must use Kafka " + version + " like the root pom");
        assertTrue(Arrays.stream(jars).anyMatch(j -> j.contains("kafka-clients-" + version + ".jar")),
                "the broker must run with its own kafka-clients, not the Quarkus BOM's");
        assertTrue(Arrays.stream(jars).allMatch(j -> Files.isRegularFile(Path.of(j))));
    }

    @Test
    void s3proxyClasspathHasTheRootPomsVersion() {
        String version = System.getProperty("stipple.test.s3proxy.version");
        assertTrue(InfraClasspath.s3proxy().endsWith("s3proxy-" + version + "-jar-with-dependencies.jar"),
                "local-stack-infra/pom.xml must use s3proxy " + version + " like the root pom");
    }
}
