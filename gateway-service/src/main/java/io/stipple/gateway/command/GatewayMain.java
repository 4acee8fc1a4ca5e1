package io.stipple.gateway.command;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;
import picocli.CommandLine;

/**
 * Without arguments: runs the gateway. With arguments: runs an administration command against
 * the gateway's database and exits, e.g. {@code java -jar gateway.jar create-tenant acme}
 * (see docs/gateway.md).
 */
@QuarkusMain
public class GatewayMain implements QuarkusApplication {

    @Inject
    CreateTenantCommand createTenant;

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        return commandLine(createTenant).execute(args);
    }

    /** The administration commands; tests run them the same way. */
    static CommandLine commandLine(CreateTenantCommand createTenant) {
        return new CommandLine(new AdminCommands()).addSubcommand("create-tenant", createTenant);
    }

    @CommandLine.Command(name = "gateway", mixinStandardHelpOptions = true,
            description = "Stipple gateway administration; run without arguments to serve the API.")
    static class AdminCommands {
    }
}
