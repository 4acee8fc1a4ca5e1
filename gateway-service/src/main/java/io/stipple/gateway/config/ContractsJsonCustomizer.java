package io.stipple.gateway.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.stipple.contracts.ContractsJson;
import jakarta.inject.Singleton;

/**
 * The REST API uses the contracts' JSON configuration (snake_case, strict scalars), so it speaks
 * like the messages do, with one difference: unknown fields in a request body are rejected, so a
 * misspelt option is an error instead of being silently ignored. Stored and Kafka JSON is read with
 * {@link ContractsJson#mapper()}, which tolerates unknown fields.
 */
@Singleton
public class ContractsJsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        ContractsJson.configure(mapper);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
