package io.stipple.gateway.command;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.util.Map;

/**
 * The gateway's entry point. Without arguments it serves the API; with arguments it runs an
 * administration command, e.g. {@code java -jar gateway.jar create-tenant acme}, {@code list-keys acme},
 * {@code revoke-key stp_0123456789ab}, {@code rotate-webhook-secret acme} (see docs/gateway.md), in a quiet mode: what the command prints is
 * all that reaches stdout (the startup banner is off, log lines go to stderr), and the process takes no
 * part in the running gateways' work: it does not join their Kafka consumer group (each join and leave
 * would rebalance the group's partitions) and runs no outbox relay or other timed task.
 */
@QuarkusMain
public class GatewayMain {

    /** Runtime settings of the administration mode; a value given on the command line (-D) wins. */
    static final Map<String, String> ADMIN_MODE = Map.of(
            "quarkus.banner.enabled", "false",
            // Beside a serving gateway (same host or pod): listen on free ports, not on the gateway's.
            "quarkus.http.port", "0",
            "quarkus.management.port", "0",
            "quarkus.log.console.stderr", "true",
            "mp.messaging.incoming.job-status.enabled", "false",
            "quarkus.scheduler.enabled", "false");

    public static void main(String... args) {
        if (args.length > 0) {
            ADMIN_MODE.forEach((key, value) -> {
                if (System.getProperty(key) == null) {
                    System.setProperty(key, value);
                }
            });
        }
        Quarkus.run(GatewayApplication.class, args);
    }
}
