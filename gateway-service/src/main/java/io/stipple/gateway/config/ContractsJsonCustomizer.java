package io.stipple.gateway.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.stipple.contracts.ContractsJson;
import jakarta.inject.Singleton;

/**
 * The REST API uses the contracts' JSON configuration (snake_case, strict scalars), so it speaks
 * like the messages do, with one difference: unknown fields in a request body are rejected, so a
 * misspelt option is an error instead of being silently ignored. Stored and Kafka JSON is read with
 * {@link ContractsJson#mapper()}, which tolerates unknown fields. Hostile bodies are refused too: a
 * key given twice (which value would count?), and text no store can hold ({@link SafeTextDeserializer}).
 */
@Singleton
public class ContractsJsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        ContractsJson.configure(mapper);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        // A null inside any array or map of a request (["succeeded", null]) is refused naming its index,
        // instead of travelling on as a null element that something later trips over.
        mapper.setDefaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL));
        mapper.registerModule(new SimpleModule("stipple-strict-scalars")
                .addDeserializer(String.class, new SafeTextDeserializer())
                .addDeserializer(Double.class, new StrictDoubleDeserializer()));
    }
}
