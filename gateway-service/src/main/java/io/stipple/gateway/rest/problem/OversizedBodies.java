package io.stipple.gateway.rest.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.stipple.gateway.rest.model.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * Answers a request that declares a body over {@code quarkus.http.limits.max-body-size} with a 413
 * problem document. The HTTP layer refuses such a request before any JAX-RS filter runs, with an empty
 * 413; this route runs just before that check and says the same thing as the API's other problems do.
 */
@ApplicationScoped
public class OversizedBodies {

    private final long maxBodyBytes;
    private final ObjectMapper json;

    public OversizedBodies(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
            ObjectMapper json) {
        this.maxBodyBytes = maxBodySize.asLongValue();
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::refuseOversized);
    }

    private void refuseOversized(RoutingContext context) {
        long declared = declaredLength(context.request().getHeader(HttpHeaders.CONTENT_LENGTH));
        if (declared <= maxBodyBytes) {
            context.next();
            return;
        }
        Problem problem = new Problem(ProblemTypes.of("payload-too-large"), "Payload too large", 413,
                "request bodies are limited to " + maxBodyBytes + " bytes, this one declares " + declared,
                context.request().path(), List.of());
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            context.fail(e);
            return;
        }
        // The body that follows is not read, so the connection cannot carry another request: close it.
        context.response().setStatusCode(413)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body)
                .onComplete(sent -> context.request().connection().close());
    }

    /** The Content-Length, or -1 if absent (a malformed one never gets here: the HTTP decoder answers 400). */
    private static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
