package io.stipple.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StackSettingsTest {

    private final StackSettings defaults = StackSettings.defaults(Path.of("/tmp/stipple-home"));

    @Test
    void environmentNamesExternalServersWhichEndpointsThenReport() {
        StackSettings settings = defaults.withEnvironment(Map.of(
                "STIPPLE_KAFKA_BOOTSTRAP", "kafka.example:9092",
                "STIPPLE_DB_URL", "postgresql://db.example:5432/jobs",
                "STIPPLE_DB_USER", "app",
                "STIPPLE_S3_ENDPOINT", "http://minio.example:9000",
                "STIPPLE_S3_BUCKET", "images"));
        assertEquals(Optional.of("kafka.example:9092"), settings.kafka().externalBootstrap());
        assertEquals(Optional.of("jdbc:postgresql://db.example:5432/jobs"), settings.postgres().externalJdbcUrl());
        assertEquals("app", settings.postgres().user());
        assertEquals("stipple", settings.postgres().password());
        assertEquals(Optional.of("http://minio.example:9000"), settings.s3().externalEndpoint());
        assertEquals("images", settings.s3().bucket());
    }

    @Test
    void portsComeFromTheEnvironmentAndEmptyValuesAreIgnored() {
        StackSettings settings = defaults.withEnvironment(Map.of("STIPPLE_KAFKA_PORT", "29092", "STIPPLE_DB_URL", " "));
        assertEquals(29092, settings.kafka().port());
        assertEquals(StackSettings.DEFAULT_POSTGRES_PORT, settings.postgres().port());
        assertTrue(settings.postgres().externalJdbcUrl().isEmpty());
    }

    @Test
    void endpointsSurviveTheirFileAndTheirEnvironmentForm(@org.junit.jupiter.api.io.TempDir Path dir) {
        StackEndpoints endpoints = new StackEndpoints("127.0.0.1:1", "jdbc:postgresql://127.0.0.1:2/stipple", "u", "p",
                "http://127.0.0.1:3", "ak", "sk", "b", "r");
        endpoints.writeTo(dir.resolve("stack.properties"));
        assertEquals(endpoints, StackEndpoints.readFrom(dir.resolve("stack.properties")));
        assertEquals("postgresql://127.0.0.1:2/stipple", endpoints.reactiveUrl());

        StackSettings reused = defaults.withEnvironment(endpoints.environment());
        assertEquals(Optional.of(endpoints.kafkaBootstrap()), reused.kafka().externalBootstrap());
        assertEquals(Optional.of(endpoints.jdbcUrl()), reused.postgres().externalJdbcUrl());
        assertEquals(Optional.of(endpoints.s3Endpoint()), reused.s3().externalEndpoint());
        assertEquals("ak", reused.s3().accessKey());
    }
}
