package io.stipple.gateway.rest;

import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.rest.problem.ApiProblem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses JSON bodies above {@code limits.max-json-body-bytes} before reading them, with a
 * problem document. A chunked JSON body has no length to check up front, so it is refused with 411:
 * otherwise only the HTTP layer's own limit, {@code quarkus.http.limits.max-body-size} (set for
 * uploads, 90 MB), would stop it, after it was buffered.
 */
public class BodySizeFilter {

    private final int maxJsonBytes;

    public BodySizeFilter(GatewayConfig config) {
        this.maxJsonBytes = config.limits().maxJsonBodyBytes();
    }

    @ServerRequestFilter(preMatching = true)
    public void limitJson(ContainerRequestContext request) {
        MediaType type = request.getMediaType();
        if (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            return;
        }
        String transferEncoding = request.getHeaderString("Transfer-Encoding");
        if (transferEncoding != null && transferEncoding.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
            throw ApiProblem.lengthRequired("JSON bodies must be sent with a Content-Length (at most " + maxJsonBytes
                    + " bytes), not chunked");
        }
        if (request.getLength() > maxJsonBytes) {
            throw ApiProblem.payloadTooLarge("JSON bodies are limited to " + maxJsonBytes + " bytes, this one has "
                    + request.getLength());
        }
    }
}
