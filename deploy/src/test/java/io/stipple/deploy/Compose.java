package io.stipple.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** docker-compose on the files in deploy/compose; the resolved configuration is computed once per file set. */
final class Compose {

    static final Path ENV_EXAMPLE = DeployFiles.COMPOSE.resolve(".env.example");
    static final List<String> CPU = List.of("compose.yaml");
    static final List<String> GPU = List.of("compose.yaml", "compose.gpu.yaml");
    static final List<String> POOL = List.of("compose.yaml", "compose.worker-pool.yaml");

    private static final Map<List<String>, JsonNode> RESOLVED = new ConcurrentHashMap<>();

    private Compose() {
    }

    /**
     * {@code docker-compose config} with .env.example: validates the files (unknown keys, types,
     * missing variables) and prints them with anchors, merges and variables resolved.
     */
    static JsonNode resolved(List<String> files) {
        return RESOLVED.computeIfAbsent(files, Compose::resolve);
    }

    static ExternalTool.Result run(Path envFile, List<String> files, String... command) {
        List<String> arguments = new ArrayList<>(List.of("--env-file", envFile.toAbsolutePath().toString()));
        files.forEach(file -> arguments.addAll(List.of("-f", DeployFiles.COMPOSE.resolve(file).toString())));
        arguments.addAll(List.of(command));
        return ExternalTool.dockerCompose().run(DeployFiles.COMPOSE, arguments.toArray(String[]::new));
    }

    private static JsonNode resolve(List<String> files) {
        ExternalTool.Result result = run(ENV_EXAMPLE, files, "config");
        assertTrue(result.succeeded(), "docker-compose config " + files + " rejected the files: " + result.describe());
        try {
            return new YAMLMapper().readTree(result.stdout());
        } catch (IOException e) {
            throw new AssertionError("docker-compose config printed no YAML: " + result.stdout(), e);
        }
    }
}
