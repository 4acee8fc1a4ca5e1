package io.stipple.engine.sd;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stipple.engine.fixtures.SdTiny;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code manifests-sd15-sd21.json}: tensor name -> torch shape of the full-size SD 1.5 / 2.1 components. */
public final class Manifests {

    private static Map<String, Map<String, List<Long>>> manifests;

    private Manifests() {
    }

    /** One component's manifest, e.g. {@code sd15/vae}. */
    public static synchronized Map<String, List<Long>> of(String component) throws IOException {
        if (manifests == null) {
            manifests = new ObjectMapper().readValue(SdTiny.ROOT.resolve("manifests-sd15-sd21.json").toFile(),
                    new TypeReference<>() {
                    });
        }
        Map<String, List<Long>> manifest = manifests.get(component);
        if (manifest == null) {
            throw new IllegalArgumentException("no manifest " + component + " in " + manifests.keySet());
        }
        return manifest;
    }

    /** A real model's config, bundled with the engine as a reference ({@code sd/sd15/vae/config.json}). */
    public static Path realConfig(String component) {
        return Path.of("src", "main", "resources", "sd", component, "config.json");
    }
}
