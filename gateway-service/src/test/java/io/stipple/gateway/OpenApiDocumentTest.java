package io.stipple.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.stipple.stack.test.StippleStackResource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The served OpenAPI document lists every v1 endpoint, and every one of them documents its problem responses. */
@QuarkusTest
@QuarkusTestResource(StippleStackResource.class)
class OpenApiDocumentTest {

    /** Every public endpoint, as docs/gateway.md lists them. */
    static final Map<String, List<String>> V1 = Map.of(
            "/v1/generations", List.of("post"),
            "/v1/finetunes", List.of("post"),
            "/v1/uploads", List.of("post"),
            "/v1/jobs", List.of("get"),
            "/v1/jobs/{id}", List.of("get"),
            "/v1/jobs/{id}/cancel", List.of("post"),
            "/v1/jobs/{id}/events", List.of("get"),
            "/v1/models", List.of("get"),
            "/v1/models/imports", List.of("post"));

    @Test
    void listsEveryV1EndpointWithProblemResponses() {
        JsonPath doc = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Object> paths = doc.getMap("paths");
        List<String> v1 = paths.keySet().stream().filter(p -> p.startsWith("/v1/")).sorted().toList();
        assertEquals(V1.keySet().stream().sorted().toList(), v1, "the v1 paths served");

        V1.forEach((path, methods) -> methods.forEach(method -> {
            Map<String, Object> responses = doc.getMap("paths.'" + path + "'." + method + ".responses");
            assertNotNull(responses, method + " " + path + " has no responses");
            for (String code : List.of("401", "429", "503")) {
                String ref = doc.getString("paths.'" + path + "'." + method + ".responses.'" + code
                        + "'.content.'application/problem+json'.schema.$ref");
                assertEquals("#/components/schemas/Problem", ref, method + " " + path + " " + code);
            }
            assertTrue(responses.keySet().stream().anyMatch(c -> c.startsWith("2")), method + " " + path + " documents no success");
        }));
    }

    @Test
    void describesTheProblemSchemaOfRfc9457() {
        JsonPath doc = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Object> properties = doc.getMap("components.schemas.Problem.properties");
        assertNotNull(properties, "no Problem schema");
        assertTrue(properties.keySet().containsAll(List.of("type", "title", "status", "detail", "instance", "errors")),
                properties.keySet().toString());
        assertNotNull(doc.getMap("components.schemas.FieldError.properties.field"));
        assertEquals("#/components/schemas/Problem", doc.getString(
                "paths.'/v1/generations'.post.responses.'422'.content.'application/problem+json'.schema.$ref"));
    }
}
