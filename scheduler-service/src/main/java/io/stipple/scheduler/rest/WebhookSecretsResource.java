package io.stipple.scheduler.rest;

import io.smallrye.mutiny.Uni;
import io.stipple.scheduler.webhook.WebhookKeys;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Operator endpoint: issues a tenant a new webhook signing secret (its first, or a rotation). The
 * secret is shown in this answer only; hand it to the tenant. Its previous secrets keep signing, next to
 * the new one, until {@code previous_keys_expire_at}.
 */
@Path("/admin/webhook-secrets")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookSecretsResource {

    private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final WebhookKeys keys;

    public WebhookSecretsResource(WebhookKeys keys) {
        this.keys = keys;
    }

    @POST
    @Path("{tenant}")
    @Operation(summary = "Issue (rotate) a tenant's webhook signing secret; the previous ones sign for the grace period more")
    public Uni<Response> rotate(@PathParam("tenant") String tenant) {
        if (!TENANT_ID.matcher(tenant).matches()) {
            throw new BadRequestException("tenant ids are 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return keys.rotate(tenant).map(issued -> Response.status(Response.Status.CREATED).entity(issued).build());
    }
}
