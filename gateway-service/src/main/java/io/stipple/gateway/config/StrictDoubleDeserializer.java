package io.stipple.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;

import java.io.IOException;

/**
 * Reads request numbers like Jackson does, but never from a string. The contracts' coercion
 * settings already refuse {@code "3"} for a number; Jackson still turns the strings {@code "NaN"}
 * and {@code "Infinity"} into doubles before those settings are consulted, so a body could carry
 * a NaN past the type check. A string is "must be a number" here, like every other one.
 */
final class StrictDoubleDeserializer extends StdScalarDeserializer<Double> {

    private static final NumberDeserializers.DoubleDeserializer JACKSON = new NumberDeserializers.DoubleDeserializer(Double.class, null);

    StrictDoubleDeserializer() {
        super(Double.class);
    }

    @Override
    public Double deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.hasToken(JsonToken.VALUE_STRING)) {
            return (Double) context.handleUnexpectedToken(Double.class, parser);
        }
        return JACKSON.deserialize(parser, context);
    }
}
