package io.stipple.cli.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiSettingsTest {

    @TempDir
    Path home;

    @Test
    void aFlagWinsOverTheEnvironmentWhichWinsOverTheConfigFile() throws IOException {
        Path config = home.resolve(".config/stipple/config.properties");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "api-url=http://from-file:1\napi-key=file-key\n");
        Map<String, String> env = Map.of(ApiSettings.URL_ENV, "http://from-env:2/", ApiSettings.KEY_ENV, "env-key");

        ApiSettings fileOnly = ApiSettings.resolve(null, null, null, Map.of(), home);
        assertEquals("http://from-file:1", fileOnly.url().toString());
        assertEquals("file-key", fileOnly.apiKey());

        ApiSettings envOverFile = ApiSettings.resolve(null, null, null, env, home);
        assertEquals("http://from-env:2", envOverFile.url().toString(), "a trailing slash is dropped");
        assertEquals("env-key", envOverFile.apiKey());

        ApiSettings flags = ApiSettings.resolve("http://flag:3", "flag-key", null, env, home);
        assertEquals("http://flag:3", flags.url().toString());
        assertEquals("flag-key", flags.apiKey());
    }

    @Test
    void withNothingGivenTheUrlIsTheLocalDefaultAndAMissingKeySaysWhereToPutOne() {
        ApiSettings settings = ApiSettings.resolve(null, " ", null, Map.of("XDG_CONFIG_HOME", home.resolve("xdg").toString()), home);
        assertEquals(ApiSettings.DEFAULT_URL, settings.url().toString());
        assertNull(settings.apiKey(), "a blank flag counts as absent");
        MissingApiKeyException missing = assertThrows(MissingApiKeyException.class, settings::requireKey);
        assertTrue(missing.getMessage().contains("--api-key") && missing.getMessage().contains(ApiSettings.KEY_ENV)
                && missing.getMessage().contains(home.resolve("xdg/stipple/config.properties").toString()), missing.getMessage());
    }

    @Test
    void theConfigFileCanBeNamedByEnvironmentOrFlag() throws IOException {
        Path named = Files.writeString(home.resolve("other.properties"), "api-key=named-key\n");
        assertEquals("named-key", ApiSettings.resolve(null, null, null, Map.of(ApiSettings.CONFIG_ENV, named.toString()), home).apiKey());
        assertEquals("named-key", ApiSettings.resolve(null, null, named, Map.of(), home).apiKey());
    }
}
