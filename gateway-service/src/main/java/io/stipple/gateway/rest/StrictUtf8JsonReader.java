package io.stipple.gateway.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.stipple.gateway.rest.problem.ApiProblem;
import io.stipple.gateway.rest.problem.FieldPaths;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a JSON body that is not well-formed UTF-8 before Jackson reads it. Jackson decodes overlong
 * sequences ({@code C0 AF} for '/', {@code C0 80} for NUL) and UTF-8-encoded surrogates as if they were
 * the characters they spell, so text could pass the gateway's checks in one spelling and mean another;
 * the JDK's decoder rejects all of them. The problem names the field whose value holds the bad bytes.
 * Bodies are already bounded by {@link BodySizeFilter}, so reading one whole is cheap.
 */
@Provider
public class StrictUtf8Bodies implements ReaderInterceptor {

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        if (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            return context.proceed();
        }
        byte[] body = context.getInputStream().readAllBytes();
        int malformedAt = firstMalformedByte(body);
        if (malformedAt >= 0) {
            throw ApiProblem.invalidJsonValue(fieldAt(body, malformedAt),
                    "is not valid UTF-8 (an overlong, surrogate or broken byte sequence at byte " + malformedAt + ")");
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    /** Offset of the first byte that does not start a well-formed UTF-8 sequence, or -1. */
    static int firstMalformedByte(byte[] bytes) {
        if (isAscii(bytes)) {
            return -1; // the common JSON body: nothing for the decoder to check
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(4096);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isUnderflow()) {
                return decoder.flush(out).isError() ? in.position() : -1;
            }
            out.clear();
        }
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    /** The JSON path at which a parser of the body's first {@code offset} bytes runs out: the field holding them. */
    static String fieldAt(byte[] body, int offset) {
        try (JsonParser parser = JSON.createParser(body, 0, offset)) {
            try {
                while (parser.nextToken() != null) {
                    // walk to where the well-formed prefix ends
                }
            } catch (IOException endsInsideAValue) {
                // expected: the prefix stops inside the string that holds the bad bytes
            }
            return FieldPaths.ofParsingContext(parser.getParsingContext());
        } catch (IOException e) {
            return "";
        }
    }
}
