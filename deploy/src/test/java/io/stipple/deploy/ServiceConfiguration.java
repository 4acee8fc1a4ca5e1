package io.stipple.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * A service module's {@code application.properties}, to check the deployment files against what the
 * service really reads (consumer groups). A module that does not read a topic yet gives no answer.
 */
final class ServiceConfiguration {

    private static final String INCOMING = "mp.messaging.incoming.";

    private final String module;
    private final Properties properties;

    private ServiceConfiguration(String module, Properties properties) {
        this.module = module;
        this.properties = properties;
    }

    static ServiceConfiguration of(String module) {
        Path file = DeployFiles.REPOSITORY.resolve(module).resolve("src/main/resources/application.properties");
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ServiceConfiguration(module, properties);
    }

    /**
     * The consumer group the service joins to read {@code topic}: the channel's group.id, else the
     * global kafka.group.id, else Quarkus' default, the application name.
     */
    Optional<String> consumerGroupOf(String topic) {
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(INCOMING) && key.endsWith(".topic") && topic.equals(properties.getProperty(key).trim())) {
                String channel = key.substring(INCOMING.length(), key.length() - ".topic".length());
                String group = firstOf(INCOMING + channel + ".group.id", "kafka.group.id", "quarkus.application.name");
                if (group == null) {
                    throw new AssertionError(module + " reads " + topic + " with no group.id and no application name");
                }
                return Optional.of(group);
            }
        }
        System.out.println("[deploy tests] " + module + " reads no channel from " + topic + " yet: consumer group not cross-checked");
        return Optional.empty();
    }

    private String firstOf(String... keys) {
        for (String key : keys) {
            String value = properties.getProperty(key);
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }
}
