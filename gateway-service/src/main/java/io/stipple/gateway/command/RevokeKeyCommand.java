package io.stipple.gateway.command;

import io.stipple.gateway.service.TenantService;
import jakarta.enterprise.context.Dependent;
import picocli.CommandLine;

import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;

/**
 * {@code revoke-key <prefix>}: revokes an API key, named by its prefix as {@code list-keys} prints it
 * (or the whole key). The gateway refuses it from the next request on (it reads the key's row on every request).
 */
@Dependent
@CommandLine.Command(name = "revoke-key", mixinStandardHelpOptions = true,
        description = "Revokes an API key: requests with it are refused (401) from then on.")
public class RevokeKeyCommand implements Callable<Integer> {

    @CommandLine.Parameters(index = "0", description = "The key's prefix, stp_ and 12 hex digits (list-keys shows it), or the key.")
    String key;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final TenantService tenants;

    public RevokeKeyCommand(TenantService tenants) {
        this.tenants = tenants;
    }

    @Override
    public Integer call() {
        try {
            String tenant = tenants.revoke(key).await().atMost(Duration.ofSeconds(30));
            spec.commandLine().getOut().println("revoked a key of tenant " + tenant);
            spec.commandLine().getOut().flush();
            return CommandLine.ExitCode.OK;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return CommandLine.ExitCode.USAGE;
        } catch (NoSuchElementException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return CommandLine.ExitCode.SOFTWARE;
        }
    }
}
