package io.stipple.gateway.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.gateway.config.AdminConfig;
import jakarta.enterprise.context.Dependent;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks the scheduler for a tenant's new webhook signing secret ({@code POST /admin/webhook-secrets/{tenant}}
 * with the admin token). The scheduler owns the secrets: it signs the deliveries, and a secret never travels
 * over Kafka or sits in the gateway's schema (docs/architecture.md, "Webhooks").
 */
@Dependent
public class SchedulerWebhookSecrets {

    /** What the scheduler answered: the secret (shown once) and its key id. */
    public record IssuedSecret(String keyId, String secret) {
    }

    /** The scheduler could not issue the secret; the message says why, for the operator. */
    public static class NotIssuedException extends RuntimeException {
        NotIssuedException(String message) {
            super(message);
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private final AdminConfig config;
    private final ObjectMapper json;

    public SchedulerWebhookSecrets(AdminConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    /** Whether a scheduler is configured; without one, no secret can be issued. */
    public boolean configured() {
        return config.schedulerUrl().isPresent();
    }

    /** Why the settings cannot work, checked before anything is created; empty when they can. */
    public Optional<String> misconfiguration() {
        if (config.schedulerUrl().isPresent() && config.token().isEmpty()) {
            return Optional.of("stipple.admin.scheduler-url (STIPPLE_ADMIN_SCHEDULER_URL) is set but stipple.admin.token "
                    + "(STIPPLE_ADMIN_TOKEN) is not: the scheduler refuses /admin/* without it");
        }
        return Optional.empty();
    }

    /** Issues (or rotates) the tenant's secret; blocking, for the commands. */
    public IssuedSecret issue(String tenantId) {
        URI scheduler = config.schedulerUrl().orElseThrow(() -> new NotIssuedException("no scheduler URL configured"));
        URI uri = scheduler.resolve("/admin/webhook-secrets/" + URLEncoder.encode(tenantId, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + config.token().orElse(""))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new NotIssuedException("could not reach the scheduler at " + scheduler + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotIssuedException("interrupted while asking the scheduler at " + scheduler);
        }
        return switch (response.statusCode()) {
            case 201 -> parse(response.body());
            case 401 -> throw new NotIssuedException("the scheduler at " + scheduler + " refused the admin token (STIPPLE_ADMIN_TOKEN)");
            case 403 -> throw new NotIssuedException("the scheduler at " + scheduler
                    + " has its admin endpoints off: set STIPPLE_ADMIN_TOKEN there too");
            default -> throw new NotIssuedException("the scheduler at " + scheduler + " answered " + response.statusCode()
                    + ": " + response.body());
        };
    }

    private IssuedSecret parse(String body) {
        try {
            JsonNode issued = json.readTree(body);
            String secret = issued.path("secret").asText("");
            if (!secret.startsWith("whsec_")) {
                throw new NotIssuedException("the scheduler's answer holds no whsec_ secret: " + body);
            }
            return new IssuedSecret(issued.path("key_id").asText(), secret);
        } catch (IOException e) {
            throw new NotIssuedException("the scheduler's answer is not JSON: " + body);
        }
    }
}
