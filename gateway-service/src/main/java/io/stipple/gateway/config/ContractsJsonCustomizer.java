package io.stipple.gateway.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.stipple.contracts.ContractsJson;
import jakarta.inject.Singleton;

/** REST and Kafka use the contracts' JSON configuration, so the API speaks the same snake_case as the messages. */
@Singleton
public class ContractsJsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        ContractsJson.configure(mapper);
    }
}
