package io.stipple.gateway.rest;

import io.stipple.gateway.config.GatewayConfig;
import io.stipple.gateway.rest.problem.ApiProblem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses JSON bodies above {@code limits.max-json-body-bytes} before reading them, with a
 * problem document. (The HTTP layer's own limit, {@code quarkus.http.limits.max-body-size}, is
 * set for uploads and caps everything else.)
 */
public class BodySizeFilter {

    private final int maxJsonBytes;

    public BodySizeFilter(GatewayConfig config) {
        this.maxJsonBytes = config.limits().maxJsonBodyBytes();
    }

    @ServerRequestFilter(preMatching = true)
    public void limitJson(ContainerRequestContext request) {
        MediaType type = request.getMediaType();
        if (type != null && type.isCompatible(MediaType.APPLICATION_JSON_TYPE) && request.getLength() > maxJsonBytes) {
            throw ApiProblem.payloadTooLarge("JSON bodies are limited to " + maxJsonBytes + " bytes, this one has "
                    + request.getLength());
        }
    }
}
