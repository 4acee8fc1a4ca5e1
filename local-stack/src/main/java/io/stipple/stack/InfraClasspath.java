package io.stipple.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Classpaths of the servers run as their own Java processes. The module local-stack-infra writes them
 * at build time, resolved outside the Quarkus BOM (see its pom), so none of these jars ever reaches
 * a service's classpath.
 */
public final class InfraClasspath {

    private InfraClasspath() {
    }

    /** The Kafka broker with its log4j2 binding. */
    public static String kafka() {
        return read("kafka.classpath");
    }

    /** The s3proxy jar-with-dependencies. */
    public static String s3proxy() {
        return read("s3proxy.classpath");
    }

    private static String read(String name) {
        String resource = "/io/stipple/stack/infra/" + name;
        try (InputStream in = InfraClasspath.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new StackException("Missing " + resource + ": build module local-stack-infra first"
                        + " (./mvnw -pl local-stack -am package)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
