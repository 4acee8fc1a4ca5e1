package io.stipple.cli;

import io.stipple.cli.api.ApiSettings;
import io.stipple.cli.api.GatewayClient;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every API command shares: where the gateway is and the key to use. */
final class ApiOptions {

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

    GatewayClient client() {
        return new GatewayClient(settings());
    }
}
