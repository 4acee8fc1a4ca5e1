package io.stipple.gateway.rest;

import io.quarkus.runtime.configuration.MemorySize;
import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.rest.problem.ApiProblem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Locale;

/**
 * Bounds every request body before it is read, whatever its Content-Type (or none), with a problem
 * document. Multipart bodies are accepted by {@code POST /v1/uploads} and {@code POST /v1/models/imports} only, up to the HTTP layer's limit
 * ({@code quarkus.http.limits.max-body-size}); every other body, JSON or not, is held to
 * {@code limits.max-json-body-bytes} and must declare its length: a chunked body has no length to check
 * up front, so it is refused with 411 rather than buffered up to the HTTP layer's limit. A Content-Type
 * that does not parse, or JSON in a charset other than UTF-8, is a 415 naming the header.
 */
public class BodySizeFilter {

    static final String UPLOADS_PATH = "/v1/uploads";
    static final String IMPORTS_PATH = "/v1/models/imports";
    private static final String CONTENT_TYPE = "Content-Type";

    private final int maxJsonBytes;
    private final long maxUploadBytes;

    public BodySizeFilter(GatewayConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxJsonBytes = config.limits().maxJsonBodyBytes();
        this.maxUploadBytes = maxBodySize.asLongValue();
    }

    @ServerRequestFilter(preMatching = true)
    public void limitBody(ContainerRequestContext request) {
        MediaType type = contentType(request.getHeaderString(HttpHeaders.CONTENT_TYPE));
        if (type != null && type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE)) {
            limitMultipart(request, type);
            return;
        }
        if (type != null && type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
            if (charset != null && !charset.equalsIgnoreCase("utf-8")) {
                throw ApiProblem.unsupportedMedia(CONTENT_TYPE, "JSON bodies must be UTF-8, not " + charset);
            }
        }
        if (isChunked(request)) {
            throw ApiProblem.lengthRequired("request bodies must be sent with a Content-Length (at most " + maxJsonBytes
                    + " bytes), not chunked");
        }
        if (request.getLength() > maxJsonBytes) {
            throw ApiProblem.payloadTooLarge("request bodies are limited to " + maxJsonBytes + " bytes, this one has "
                    + request.getLength());
        }
    }

    private void limitMultipart(ContainerRequestContext request, MediaType type) {
        String path = request.getUriInfo().getPath();
        if (!path.equals(UPLOADS_PATH) && !path.equals(IMPORTS_PATH)) {
            throw ApiProblem.unsupportedMedia(CONTENT_TYPE, "multipart bodies are accepted by POST " + UPLOADS_PATH
                    + " and POST " + IMPORTS_PATH + " only; this endpoint takes application/json");
        }
        String boundary = type.getParameters().get("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw ApiProblem.unsupportedMedia(CONTENT_TYPE, "multipart/form-data needs a boundary parameter of 1 to 70 characters");
        }
        if (request.getLength() > maxUploadBytes) {
            throw ApiProblem.payloadTooLarge("upload requests are limited to " + maxUploadBytes + " bytes, this one has "
                    + request.getLength());
        }
    }

    /** The parsed Content-Type, null if there is none; a 415 naming the header if it does not parse. */
    static MediaType contentType(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        MediaType type;
        try {
            type = MediaType.valueOf(header);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.unsupportedMedia(CONTENT_TYPE, "is not a media type: '" + printable(header) + "'");
        }
        if (type.getType().isEmpty() || type.getSubtype().isEmpty() || type.isWildcardType() || type.isWildcardSubtype()) {
            throw ApiProblem.unsupportedMedia(CONTENT_TYPE, "is not a concrete media type: '" + printable(header) + "'");
        }
        return type;
    }

    private static boolean isChunked(ContainerRequestContext request) {
        String transferEncoding = request.getHeaderString("Transfer-Encoding");
        return transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    /** At most 100 printable ASCII characters of a header value, for a problem's detail. */
    private static String printable(String value) {
        String shown = value.length() > 100 ? value.substring(0, 100) + "..." : value;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
