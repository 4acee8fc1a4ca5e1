package io.stipple.stack.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stipple.stack.StackEndpoints;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(StippleStackExtension.class)
class StippleStackExtensionTest {

    @Test
    void injectsTheSharedStackAndServesTheAgreedPropertyNames(StackEndpoints endpoints) throws Exception {
        assertEquals(endpoints, TestStack.endpoints(), "one stack per JVM");
        Map<String, String> config = new StippleStackResource().start();
        assertEquals(endpoints.kafkaBootstrap(), config.get("kafka.bootstrap.servers"));
        assertEquals("jdbc:" + config.get("quarkus.datasource.reactive.url"), config.get("quarkus.datasource.jdbc.url"));
        assertTrue(config.get("quarkus.datasource.reactive.url").matches("postgresql://127\\.0\\.0\\.1:\\d+/stipple"));
        assertEquals("stipple", config.get("stipple.storage.bucket"));
        assertTrue(config.keySet().containsAll(java.util.List.of("quarkus.datasource.username", "quarkus.datasource.password",
                "stipple.storage.endpoint", "stipple.storage.access-key", "stipple.storage.secret-key", "stipple.storage.region")));
        try (Connection db = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"))) {
            assertTrue(db.isValid(5));
        }
    }
}
