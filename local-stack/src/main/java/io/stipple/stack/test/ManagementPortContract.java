package io.stipple.stack.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every back-end service (no public API of its own) promises operators about its ports, checked against
 * the running service: health, Prometheus metrics and the OpenAPI document on the management port, ready only
 * with its dependencies' checks up, and none of them on the public port. A service's {@code @QuarkusTest} extends
 * this and names its OpenAPI title and readiness checks; Quarkus injects the ports into the fields below.
 */
public abstract class ManagementPortContract {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The management interface's root: {@code /q/} on its own port. */
    @TestHTTPResource(value = "", management = true)
    URL managementRoot;

    @TestHTTPResource("/")
    URL publicRoot;

    private final String openApiTitle;
    private final List<String> readinessChecks;

    /**
     * @param openApiTitle    the {@code info.title} of the service's OpenAPI document
     * @param readinessChecks the names of the readiness checks that must be there and up
     */
    protected ManagementPortContract(String openApiTitle, List<String> readinessChecks) {
        this.openApiTitle = openApiTitle;
        this.readinessChecks = List.copyOf(readinessChecks);
    }

    @Test
    void readyWithItsDependenciesUp() {
        JsonNode ready = json(get(managementRoot, "health/ready", 200));
        assertEquals("UP", ready.path("status").asText(), ready.toString());
        List<String> names = new ArrayList<>();
        ready.path("checks").forEach(check -> names.add(check.path("name").asText()));
        assertTrue(names.containsAll(readinessChecks), "readiness checks " + names + " lack some of " + readinessChecks);
    }

    @Test
    void liveAndServesPrometheusMetricsAndOpenApiOnTheManagementPort() {
        assertEquals("UP", json(get(managementRoot, "health/live", 200)).path("status").asText());
        assertTrue(get(managementRoot, "metrics", 200).contains("jvm_memory_used_bytes"), "JVM metrics are scraped");
        String openApi = get(managementRoot, "openapi", 200);
        assertTrue(openApi.contains(openApiTitle), "the OpenAPI document names the service: " + openApiTitle);
    }

    @Test
    void thePublicPortServesNoneOfThem() {
        for (String path : List.of("q/health/ready", "q/metrics", "q/openapi")) {
            get(publicRoot, path, 404);
        }
    }

    private static String get(URL root, String path, int expectedStatus) {
        URI uri = URI.create(root.toString().endsWith("/") ? root + path : root + "/" + path);
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(expectedStatus, response.statusCode(), "GET " + uri + ": " + response.body());
            return response.body();
        } catch (IOException e) {
            throw new AssertionError("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during GET " + uri, e);
        }
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
