package io.stipple.gateway.command;

import io.stipple.gateway.service.TenantService;
import jakarta.enterprise.context.Dependent;
import picocli.CommandLine;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code create-tenant <id> [--name ...] [--max-active-jobs N]}: creates the tenant (if new) and prints a
 * new API key, the only line on stdout; a banner on stderr says it is shown once and how to revoke it.
 */
@Dependent
@CommandLine.Command(name = "create-tenant", mixinStandardHelpOptions = true,
        description = "Creates a tenant if it does not exist and prints a new API key for it (shown once).")
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
        if (maxActiveJobs != null && maxActiveJobs < 1) {
            spec.commandLine().getErr().println("--max-active-jobs must be at least 1, got " + maxActiveJobs);
            return CommandLine.ExitCode.USAGE;
        }
        String key;
        try {
            key = tenants.createWithKey(tenantId, displayName, maxActiveJobs).await().atMost(Duration.ofSeconds(30));
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        // The explanation goes to stderr, so that stdout is the key alone: KEY=$(... create-tenant acme) works.
        spec.commandLine().getErr().printf("""
                ==== API key of tenant %s: shown this once, only its hash is stored ====
                Hand it to the tenant now; revoke it with: revoke-key %s
                """, tenantId, key.substring(0, "stp_".length() + 12));
        spec.commandLine().getErr().flush();
        spec.commandLine().getOut().println(key);
        spec.commandLine().getOut().flush();
        return CommandLine.ExitCode.OK;
    }
}
