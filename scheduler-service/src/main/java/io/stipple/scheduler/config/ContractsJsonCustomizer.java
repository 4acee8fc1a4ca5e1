package io.stipple.scheduler.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.stipple.contracts.ContractsJson;
import jakarta.inject.Singleton;

/** The application's JSON (REST responses) follows the contracts' rules, like every Stipple service. */
@Singleton
public class ContractsJsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        ContractsJson.configure(mapper);
    }
}
