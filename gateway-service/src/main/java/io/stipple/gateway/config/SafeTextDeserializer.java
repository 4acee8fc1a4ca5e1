package io.stipple.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;

import java.io.IOException;

/**
 * Reads request strings like Jackson does, then refuses the two kinds of text that JSON allows but
 * nothing behind the API can hold: a NUL character (PostgreSQL's text and jsonb reject it) and an
 * unpaired UTF-16 surrogate (it cannot be written back as UTF-8, e.g. into a message). Refused here,
 * they are a 400 naming the field instead of a failure deep inside a transaction.
 */
final class SafeTextDeserializer extends StdScalarDeserializer<String> {

    SafeTextDeserializer() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String text = StringDeserializer.instance.deserialize(parser, context);
        String problem = problemOf(text);
        if (problem != null) {
            throw InvalidFormatException.from(parser, problem, text, String.class);
        }
        return text;
    }

    /** What is wrong with the text, or null. */
    static String problemOf(String text) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "must not contain NUL characters";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must not contain unpaired UTF-16 surrogates";
            }
        }
        return null;
    }
}
