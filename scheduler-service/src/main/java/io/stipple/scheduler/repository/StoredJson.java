package io.stipple.scheduler.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.stipple.contracts.ContractsJson;
import io.stipple.contracts.event.JobOutput;
import io.stipple.contracts.spec.JobSpec;
import java.util.List;

/** Contract values kept in text columns, written and read with the contracts' JSON rules. */
public final class StoredJson {

    private static final TypeReference<List<JobOutput>> OUTPUTS = new TypeReference<>() {
    };

    private StoredJson() {
    }

    public static String write(Object value) {
        try {
            return ContractsJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot store " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static JobSpec readSpec(String json) {
        return ContractsJson.read(json, JobSpec.class);
    }

    public static List<JobOutput> readOutputs(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return ContractsJson.mapper().readValue(json, OUTPUTS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored outputs are not readable: " + e.getMessage(), e);
        }
    }
}
