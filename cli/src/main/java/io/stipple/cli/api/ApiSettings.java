package io.stipple.cli.api;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the gateway is and which API key to send. Each value comes from the first place that has
 * it: the command-line flag, the environment ({@code STIPPLE_API_URL}, {@code STIPPLE_API_KEY}),
 * the config file ({@code api-url}, {@code api-key}), then the default URL (no default key).
 *
 * @param apiKey null when none was given anywhere
 */
public record ApiSettings(URI url, String apiKey, Path configFile) {

    public static final String DEFAULT_URL = "http://localhost:8080";
    public static final String URL_ENV = "STIPPLE_API_URL";
    public static final String KEY_ENV = "STIPPLE_API_KEY";
    public static final String CONFIG_ENV = "STIPPLE_CONFIG";
    public static final String URL_PROPERTY = "api-url";
    public static final String KEY_PROPERTY = "api-key";

    /**
     * @param configFlag the {@code --config} flag, or null for {@code $STIPPLE_CONFIG}, else
     *                   {@code $XDG_CONFIG_HOME/stipple/config.properties}, else
     *                   {@code ~/.config/stipple/config.properties}
     */
    public static ApiSettings resolve(String urlFlag, String keyFlag, Path configFlag, Map<String, String> env, Path home) {
        Path config = configFlag != null ? configFlag : defaultConfigFile(env, home);
        Properties file = read(config);
        String url = first(urlFlag, env.get(URL_ENV), file.getProperty(URL_PROPERTY)).orElse(DEFAULT_URL);
        String key = first(keyFlag, env.get(KEY_ENV), file.getProperty(KEY_PROPERTY)).orElse(null);
        return new ApiSettings(URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url), key, config);
    }

    static Path defaultConfigFile(Map<String, String> env, Path home) {
        return nonBlank(env.get(CONFIG_ENV)).map(Path::of)
                .orElseGet(() -> nonBlank(env.get("XDG_CONFIG_HOME")).map(Path::of).orElse(home.resolve(".config"))
                        .resolve("stipple").resolve("config.properties"));
    }

    private static Properties read(Path file) {
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return properties;
    }

    private static Optional<String> first(String... candidates) {
        for (String candidate : candidates) {
            Optional<String> value = nonBlank(candidate);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** The key, or a failure that says every place it could have come from. */
    public String requireKey() {
        if (apiKey == null) {
            throw new MissingApiKeyException("no API key: pass --api-key, set " + KEY_ENV + ", or write "
                    + KEY_PROPERTY + "=<key> in " + configFile);
        }
        return apiKey;
    }

    @Override
    public String toString() {
        return "ApiSettings[url=" + url + ", apiKey=" + (apiKey == null ? "none" : "****") + ", configFile=" + configFile + "]";
    }
}
