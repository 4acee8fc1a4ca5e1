package io.stipple.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Where a started stack answers, in the shape every Stipple service is configured with.
 *
 * @param jdbcUrl {@code jdbc:postgresql://host:port/db}; {@link #reactiveUrl()} derives the reactive form
 */
public record StackEndpoints(String kafkaBootstrap, String jdbcUrl, String dbUser, String dbPassword, String s3Endpoint,
        String s3AccessKey, String s3SecretKey, String bucket, String region) {

    /** {@code postgresql://host:port/db}, the URL form of the Vert.x reactive client. */
    public String reactiveUrl() {
        return jdbcUrl.substring("jdbc:".length());
    }

    /** What a service connects to; each brings its own settings ({@link #quarkusConfig(Set)}). */
    public enum Client {
        KAFKA,
        /** Postgres over JDBC (Flyway, plain JDBC). */
        POSTGRES_JDBC,
        /** Postgres through the Vert.x reactive client. */
        POSTGRES_REACTIVE,
        S3
    }

    /** The settings of every client: the configuration property names every Stipple service reads (docs/local-stack.md). */
    public Map<String, String> quarkusConfig() {
        return quarkusConfig(EnumSet.allOf(Client.class));
    }

    /**
     * The settings of these clients only: Quarkus warns about a {@code quarkus.*} setting no extension
     * of the service reads (the datasource's, in a service without one).
     */
    public Map<String, String> quarkusConfig(Set<Client> clients) {
        Map<String, String> config = new LinkedHashMap<>();
        if (clients.contains(Client.KAFKA)) {
            config.put("kafka.bootstrap.servers", kafkaBootstrap);
        }
        if (clients.contains(Client.POSTGRES_JDBC) || clients.contains(Client.POSTGRES_REACTIVE)) {
            config.put("quarkus.datasource.username", dbUser);
            config.put("quarkus.datasource.password", dbPassword);
        }
        if (clients.contains(Client.POSTGRES_REACTIVE)) {
            config.put("quarkus.datasource.reactive.url", reactiveUrl());
        }
        if (clients.contains(Client.POSTGRES_JDBC)) {
            config.put("quarkus.datasource.jdbc.url", jdbcUrl);
        }
        if (clients.contains(Client.S3)) {
            config.put("stipple.storage.endpoint", s3Endpoint);
            config.put("stipple.storage.access-key", s3AccessKey);
            config.put("stipple.storage.secret-key", s3SecretKey);
            config.put("stipple.storage.bucket", bucket);
            config.put("stipple.storage.region", region);
        }
        return config;
    }

    /** The {@code STIPPLE_*} variables that make another process reuse this stack instead of starting one. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("STIPPLE_KAFKA_BOOTSTRAP", kafkaBootstrap);
        env.put("STIPPLE_DB_URL", jdbcUrl);
        env.put("STIPPLE_DB_USER", dbUser);
        env.put("STIPPLE_DB_PASSWORD", dbPassword);
        env.put("STIPPLE_S3_ENDPOINT", s3Endpoint);
        env.put("STIPPLE_S3_ACCESS_KEY", s3AccessKey);
        env.put("STIPPLE_S3_SECRET_KEY", s3SecretKey);
        env.put("STIPPLE_S3_BUCKET", bucket);
        env.put("STIPPLE_S3_REGION", region);
        return env;
    }

    /** Writes these endpoints atomically, as {@link #environment()} keys, so readers never see half a file. */
    public void writeTo(Path file) {
        Properties properties = new Properties();
        properties.putAll(environment());
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try (Writer out = Files.newBufferedWriter(tmp)) {
                properties.store(out, "Endpoints of the running Stipple stack");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static StackEndpoints readFrom(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new StackEndpoints(p.getProperty("STIPPLE_KAFKA_BOOTSTRAP"), p.getProperty("STIPPLE_DB_URL"),
                p.getProperty("STIPPLE_DB_USER"), p.getProperty("STIPPLE_DB_PASSWORD"),
                p.getProperty("STIPPLE_S3_ENDPOINT"), p.getProperty("STIPPLE_S3_ACCESS_KEY"),
                p.getProperty("STIPPLE_S3_SECRET_KEY"), p.getProperty("STIPPLE_S3_BUCKET"),
                p.getProperty("STIPPLE_S3_REGION"));
    }
}
