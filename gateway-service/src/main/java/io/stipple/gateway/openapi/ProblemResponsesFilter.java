package io.stipple.gateway.openapi;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.Map;

/**
 * Documents the problem responses every {@code /v1} operation can give, whatever its resource
 * declares: 401 (no or wrong API key, from the authentication filter), 429 (request-rate limit,
 * same filter) and 503 (a dependency restarting), each an {@code application/problem+json}
 * {@code Problem}. Registered with {@code mp.openapi.filter}.
 */
public class ProblemResponsesFilter implements OASFilter {

    static final String PROBLEM_MEDIA_TYPE = "application/problem+json";
    static final String PROBLEM_SCHEMA = "#/components/schemas/Problem";
    static final Map<String, String> COMMON = Map.of(
            "401", "Missing or wrong API key",
            "429", "Request-rate limit of the tenant; see Retry-After",
            "503", "The database or object store is not answering; retry after Retry-After");

    @Override
    public void filterOpenAPI(OpenAPI openApi) {
        if (openApi.getPaths() == null || openApi.getPaths().getPathItems() == null) {
            return;
        }
        openApi.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/v1/")) {
                item.getOperations().values().forEach(ProblemResponsesFilter::addCommon);
            }
        });
    }

    private static void addCommon(Operation operation) {
        APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses() : operation.getResponses();
        COMMON.forEach((code, description) -> {
            if (responses.getAPIResponse(code) == null) {
                responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description)
                        .content(OASFactory.createContent().addMediaType(PROBLEM_MEDIA_TYPE, OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref(PROBLEM_SCHEMA)))));
            }
        });
        operation.setResponses(responses);
    }
}
