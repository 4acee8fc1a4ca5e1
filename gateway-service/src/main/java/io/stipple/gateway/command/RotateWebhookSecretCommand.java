package io.stipple.gateway.command;

import io.stipple.gateway.service.TenantService;
import io.stipple.gateway.webhook.WebhookKeys.IssuedSecret;
import jakarta.enterprise.context.Dependent;
import picocli.CommandLine;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code rotate-webhook-secret <tenant>}: issues the tenant a new webhook signing secret and prints it on
 * stdout (shown once); its previous secrets keep signing next to it for {@code stipple.gateway.webhooks.rotation-grace}.
 */
@Dependent
@CommandLine.Command(name = "rotate-webhook-secret", mixinStandardHelpOptions = true,
        description = "Issues a tenant a new webhook signing secret (shown once); the previous ones keep signing "
                + "next to it for the rotation grace.")
public class RotateWebhookSecretCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", description = "Tenant id.")
    String tenantId;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final TenantService tenants;

    public RotateWebhookSecretCommand(TenantService tenants) {
        this.tenants = tenants;
    }

    @Override
    public Integer call() {
        IssuedSecret issued;
        try {
            issued = tenants.rotateWebhookSecret(tenantId).await().atMost(Duration.ofSeconds(30));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        }
        spec.commandLine().getErr().printf("""
                ==== Webhook signing secret of tenant %s (key id %s): shown this once ====
                It signs from now on; the previous ones sign next to it until %s.
                """, tenantId, issued.keyId(), issued.previousKeysExpireAt());
        spec.commandLine().getErr().flush();
        spec.commandLine().getOut().println(issued.secret());
        spec.commandLine().getOut().flush();
        return CommandLine.ExitCode.OK;
    }
}
