package io.stipple.gateway.command;

import io.stipple.gateway.service.TenantService;
import jakarta.enterprise.context.Dependent;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code create-tenant <id> [--name ...] [--max-active-jobs N]}: creates the tenant (if new) and prints a
 * new API key on stdout, and, with a scheduler configured ({@code stipple.admin.scheduler-url}), the tenant's
 * new webhook signing secret as the second line; a banner on stderr says both are shown once.
 */
@Dependent
@CommandLine.Command(name = "create-tenant", mixinStandardHelpOptions = true,
        description = "Creates a tenant if it does not exist and prints a new API key for it and, with "
                + "stipple.admin.scheduler-url set, a new webhook signing secret (both shown once).")
public class CreateTenantCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", description = "Tenant id: lower-case letters, digits and '-'.")
    String tenantId;

    @CommandLine.Option(names = "--name", description = "Display name (default: the id).")
    String displayName;

    @CommandLine.Option(names = "--max-active-jobs", description = "Concurrent-job limit of this tenant (default: the gateway's).")
    Integer maxActiveJobs;

    private final TenantService tenants;
    private final SchedulerWebhookSecrets webhookSecrets;

    public CreateTenantCommand(TenantService tenants, SchedulerWebhookSecrets webhookSecrets) {
        this.tenants = tenants;
        this.webhookSecrets = webhookSecrets;
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
        Optional<String> misconfigured = webhookSecrets.misconfiguration();
        if (misconfigured.isPresent()) {
            err.println(misconfigured.get());
            return CommandLine.ExitCode.USAGE;
        }
        String key;
        try {
            key = tenants.createWithKey(tenantId, displayName, maxActiveJobs).await().atMost(Duration.ofSeconds(30));
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        // The explanations go to stderr, so that stdout is the key (and the secret) alone:
        // { read -r KEY; read -r WEBHOOK_SECRET; } < <(... create-tenant acme) captures them.
        err.printf("""
                ==== API key of tenant %s: shown this once, only its hash is stored ====
                Hand it to the tenant now; revoke it with: revoke-key %s
                """, tenantId, key.substring(0, "stp_".length() + 12));
        if (!webhookSecrets.configured()) {
            err.println("No webhook signing secret issued: stipple.admin.scheduler-url (STIPPLE_ADMIN_SCHEDULER_URL) is not set;"
                    + " the tenant's notifications are signed with the service secret until it has one.");
            return print(key);
        }
        try {
            SchedulerWebhookSecrets.IssuedSecret secret = webhookSecrets.issue(tenantId);
            err.printf("""
                    ==== Webhook signing secret of tenant %s (key id %s), second line: shown this once ====
                    Its notifications are signed with it from now on; running create-tenant again rotates it.
                    """, tenantId, secret.keyId());
            return print(key, secret.secret());
        } catch (SchedulerWebhookSecrets.NotIssuedException e) {
            // The key exists now: print it anyway, so that it is not lost, and fail the command.
            err.println("The API key was issued, the webhook signing secret was not: " + e.getMessage());
            print(key);
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    private int print(String... lines) {
        spec.commandLine().getErr().flush();
        for (String line : lines) {
            spec.commandLine().getOut().println(line);
        }
        spec.commandLine().getOut().flush();
        return CommandLine.ExitCode.OK;
    }
}
