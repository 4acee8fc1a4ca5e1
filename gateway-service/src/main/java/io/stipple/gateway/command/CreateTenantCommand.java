package io.stipple.gateway.command;

import io.stipple.gateway.service.TenantService;
import jakarta.enterprise.context.Dependent;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code create-tenant <id> [--name ...] [--max-active-jobs N]}: creates the tenant (if new) and prints a
 * new API key on stdout and the tenant's new webhook signing secret as the second line, both stored in one
 * transaction; a banner on stderr says both are shown once.
 */
@Dependent
@CommandLine.Command(name = "create-tenant", mixinStandardHelpOptions = true,
        description = "Creates a tenant if it does not exist and prints a new API key for it and a new webhook "
                + "signing secret (both shown once).")
public class CreateTenantCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", description = "Tenant id: lower-case letters, digits and '-'.")
    String tenantId;

    @CommandLine.Option(names = "--name", description = "Display name (default: the id).")
    String displayName;

    @CommandLine.Option(names = "--max-active-jobs", description = "Concurrent-job limit of this tenant (default: the gateway's).")
    Integer maxActiveJobs;

    private final TenantService tenants;

    public CreateTenantCommand(TenantService tenants) {
        this.tenants = tenants;
    }

    /** Where picocli says to print (the terminal, or what a test set), instead of System.out. */
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (maxActiveJobs != null && maxActiveJobs < 1) {
            err.println("--max-active-jobs must be at least 1, got " + maxActiveJobs);
            return CommandLine.ExitCode.USAGE;
        }
        TenantService.Credentials issued;
        try {
            issued = tenants.createWithKeyAndWebhookSecret(tenantId, displayName, maxActiveJobs)
                    .await().atMost(Duration.ofSeconds(30));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        // The explanations go to stderr, so that stdout is the key and the secret alone:
        // { read -r KEY; read -r WEBHOOK_SECRET; } < <(... create-tenant acme) captures them.
        err.printf("""
                ==== API key of tenant %s: shown this once, only its hash is stored ====
                Hand it to the tenant now; revoke it with: revoke-key %s
                ==== Webhook signing secret of tenant %s (key id %s), second line: shown this once ====
                Its notifications are signed with it from now on; rotate-webhook-secret %s rotates it.
                """, tenantId, issued.apiKey().substring(0, "stp_".length() + 12), tenantId,
                issued.webhookSecret().keyId(), tenantId);
        err.flush();
        spec.commandLine().getOut().println(issued.apiKey());
        spec.commandLine().getOut().println(issued.webhookSecret().secret());
        spec.commandLine().getOut().flush();
        return CommandLine.ExitCode.OK;
    }
}
