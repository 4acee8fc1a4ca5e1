package io.stipple.gateway.command;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import picocli.CommandLine;

import java.util.List;

/**
 * Without arguments: serves the gateway until it is stopped. With arguments: runs an administration
 * command against the gateway's database and exits ({@link GatewayMain} sets up the quiet mode for it).
 */
public class GatewayApplication implements QuarkusApplication {

    @Inject
    CreateTenantCommand createTenant;
    @Inject
    ListKeysCommand listKeys;
    @Inject
    RevokeKeyCommand revokeKey;
    @Inject
    RotateWebhookSecretCommand rotateWebhookSecret;

    @Override
    public int run(String... args) {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        return commandLine(List.of(createTenant, listKeys, revokeKey, rotateWebhookSecret)).execute(args);
    }

    /** The administration commands (each named by its {@code @Command}); tests run them the same way. */
    static CommandLine commandLine(List<Object> commands) {
        CommandLine commandLine = new CommandLine(new AdminCommands());
        commands.forEach(commandLine::addSubcommand);
        return commandLine;
    }

    @CommandLine.Command(name = "gateway", mixinStandardHelpOptions = true,
            description = "Stipple gateway administration; run without arguments to serve the API.")
    static class AdminCommands {
    }
}
