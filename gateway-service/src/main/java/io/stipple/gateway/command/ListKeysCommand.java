package io.stipple.gateway.command;

import io.stipple.gateway.repository.ApiKeyInfo;
import io.stipple.gateway.service.TenantService;
import jakarta.enterprise.context.Dependent;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code list-keys <tenant>}: one line per API key of the tenant, oldest first: its prefix, when issued, whether revoked. */
@Dependent
@CommandLine.Command(name = "list-keys", mixinStandardHelpOptions = true,
        description = "Lists a tenant's API keys by prefix (the keys themselves are never stored).")
public class ListKeysCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", description = "Tenant id.")
    String tenantId;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final TenantService tenants;

    public ListKeysCommand(TenantService tenants) {
        this.tenants = tenants;
    }

    @Override
    public Integer call() {
        List<ApiKeyInfo> keys = tenants.keys(tenantId).await().atMost(Duration.ofSeconds(30));
        if (keys.isEmpty()) {
            spec.commandLine().getErr().println("tenant " + tenantId + " has no API keys (or does not exist)");
            return CommandLine.ExitCode.SOFTWARE;
        }
        PrintWriter out = spec.commandLine().getOut();
        for (ApiKeyInfo key : keys) {
            out.printf("stp_%s  issued %s  %s%n", key.prefix(), key.createdAt(),
                    key.active() ? "active" : "revoked " + key.revokedAt());
        }
        out.flush();
        return CommandLine.ExitCode.OK;
    }
}
