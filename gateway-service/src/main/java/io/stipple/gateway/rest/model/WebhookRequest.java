package io.stipple.gateway.rest.model;

import io.stipple.contracts.spec.WebhookEvent;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Set;

@Schema(name = "Webhook")
public record WebhookRequest(
        @NotBlank @Size(max = 2000)
        @Pattern(regexp = "https?://[^\\s/?#]+[^\\s]*", message = "must be an absolute http or https URL")
        @Schema(required = true, description = "Where signed notifications are posted.")
        String url,

        @Size(max = 6)
        @Schema(description = "Which changes to notify; default: succeeded, failed, canceled.")
        Set<WebhookEvent> events) {
}
