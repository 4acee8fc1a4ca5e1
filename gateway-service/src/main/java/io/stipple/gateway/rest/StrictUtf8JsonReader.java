package io.stipple.gateway.rest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.quarkus.resteasy.reactive.jackson.runtime.serialisers.ServerJacksonMessageBodyReader;
import io.stipple.gateway.rest.problem.ApiProblem;
import io.stipple.gateway.rest.problem.FieldPaths;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyReader;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads {@code application/json} bodies: refuses one that is not well-formed UTF-8, then hands it to
 * Quarkus' Jackson reader. Jackson decodes overlong sequences ({@code C0 AF} for '/', {@code C0 80} for
 * NUL) and UTF-8-encoded surrogates as if they were the characters they spell, so text could pass the
 * gateway's checks in one spelling and mean another; the JDK's decoder rejects all of them. The problem
 * names the field whose value holds the bad bytes. Bodies are already bounded by {@link BodySizeFilter},
 * so reading one whole is cheap.
 * <p>
 * A reader and not a {@code ReaderInterceptor}, as it was: with any reader interceptor installed,
 * RESTEasy Reactive reads every body through its interceptor chain, which asks the resource method for
 * its parameter annotations on each request, and the JDK parses those afresh on every call: 4.6% of the
 * event loop's samples under the gateway benchmark (docs/benchmarks.md, section 4).
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class StrictUtf8JsonReader implements ServerMessageBodyReader<Object> {

    private static final JsonFactory JSON = new JsonFactory();

    private final ServerJacksonMessageBodyReader jackson;

    public StrictUtf8JsonReader(ServerJacksonMessageBodyReader jackson) {
        this.jackson = jackson;
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, ResteasyReactiveResourceInfo lazyMethod,
            MediaType mediaType) {
        return jackson.isReadable(type, genericType, lazyMethod, mediaType);
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return jackson.isReadable(type, genericType, annotations, mediaType);
    }

    @Override
    public Object readFrom(Class<Object> type, Type genericType, MediaType mediaType, ServerRequestContext context)
            throws IOException {
        return jackson.readFrom(type, genericType, null, mediaType, null, checked(context.getInputStream()));
    }

    @Override
    public Object readFrom(Class<Object> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> httpHeaders, InputStream entityStream) throws IOException {
        return jackson.readFrom(type, genericType, annotations, mediaType, httpHeaders, checked(entityStream));
    }

    /** The body, as a stream of its bytes once they are known to be well-formed UTF-8; a 400 naming the field if not. */
    private static InputStream checked(InputStream entityStream) throws IOException {
        byte[] body = entityStream.readAllBytes();
        int malformedAt = firstMalformedByte(body);
        if (malformedAt >= 0) {
            throw ApiProblem.invalidJsonValue(fieldAt(body, malformedAt),
                    "is not valid UTF-8 (an overlong, surrogate or broken byte sequence at byte " + malformedAt + ")");
        }
        return new ByteArrayInputStream(body);
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
