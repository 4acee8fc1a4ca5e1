package io.stipple.cli;

import io.stipple.cli.api.ApiSettings;
import io.stipple.cli.api.GatewayClient;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What every API command shares (a picocli mixin): where the gateway is, the key to use, and the
 * command's two streams: results on standard output (job ids, file paths, tables, for scripts),
 * progress and messages on standard error.
 */
final class ApiOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--api-url", paramLabel = "URL",
            description = "Gateway URL (else $STIPPLE_API_URL, else api-url in the config file, else " + ApiSettings.DEFAULT_URL + ").")
    String url;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "API key (else $STIPPLE_API_KEY, else api-key in the config file).")
    String key;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Config file (else $STIPPLE_CONFIG, else ~/.config/stipple/config.properties).")
    Path config;

    ApiSettings settings() {
        return ApiSettings.resolve(url, key, config, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * A client for the gateway; fails with the missing-key message at once, before the command prints
     * or waits for anything (every command's requests need the key).
     */
    GatewayClient client() {
        ApiSettings settings = settings();
        settings.requireKey();
        return new GatewayClient(settings);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** One result line on standard output, flushed at once. */
    void result(Object line) {
        out().println(line);
        out().flush();
    }

    /** One message line on standard error, flushed at once (it may precede a long wait). */
    void message(String line) {
        err().println(line);
        err().flush();
    }
}
