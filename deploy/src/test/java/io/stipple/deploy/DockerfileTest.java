package io.stipple.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so the Dockerfile cannot be built in CI; what can be checked offline
 * is its syntax (dockerfile-utils' linter) and that it fits the repository and the compose files:
 * stages and build arguments that exist, the Maven profile it switches to, the modules it builds,
 * and a build context that leaves out build output.
 */
class DockerfileTest {

    private static final Pattern STAGE = Pattern.compile("(?mi)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");
    private static final Pattern ARG = Pattern.compile("(?mi)^ARG\\s+([A-Z_]+)(?:=(\\S*))?");

    private final String dockerfile = DeployFiles.read(DeployFiles.DOCKERFILE);

    @Test
    void passesTheDockerfileLinter() {
        ExternalTool.Result lint = NodeValidation.lintDockerfile(DeployFiles.DOCKERFILE);
        assertTrue(lint.succeeded(), lint.describe());
    }

    @Test
    void theRuntimeBaseNamesOneOfItsStages() {
        Map<String, String> stages = stages();
        assertEquals(Set.of("build", "jvm-runtime", "cuda-runtime", "runtime"), stages.keySet());
        assertEquals("${RUNTIME_BASE}", stages.get("runtime"));
        String defaultBase = args().get("RUNTIME_BASE");
        assertEquals("jvm-runtime", defaultBase, "the default image needs no GPU");
        assertTrue(stages.get("cuda-runtime").startsWith("nvidia/cuda:") && stages.get("cuda-runtime").contains("cudnn"),
                "the GPU variant runs on CUDA with cuDNN: " + stages.get("cuda-runtime"));
    }

    @Test
    void everyBuildArgumentTheComposeFilesPassIsDeclared() {
        Set<String> passed = new TreeSet<>();
        for (List<String> files : List.of(Compose.CPU, Compose.GPU)) {
            JsonNode services = Compose.resolved(files).path("services");
            services.forEach(service -> service.path("build").path("args").fieldNames().forEachRemaining(passed::add));
        }
        assertEquals(Set.of("MANAGEMENT_PORT", "MAVEN_PROFILES", "PORT", "RUNTIME_BASE", "SERVICE"), passed);
        assertTrue(args().keySet().containsAll(passed), "undeclared build args: " + passed + " vs " + args().keySet());
    }

    @Test
    void buildsTheServiceModulesWithTheWrapperAndTheGpuProfileOfTheRootPom() {
        String rootPom = DeployFiles.read(DeployFiles.REPOSITORY.resolve("pom.xml"));
        for (String service : KustomizeOverlaysTest.SERVICES.keySet()) {
            assertTrue(rootPom.contains("<module>" + service + "</module>"), service + " is not a module of the root pom");
        }
        assertTrue(rootPom.contains("<id>gpu</id>"), "the root pom has no `gpu` profile for -P${MAVEN_PROFILES}");
        assertTrue(dockerfile.contains("./mvnw -B -ntp package -pl \"${SERVICE}\" -am"), "builds one module and what it needs");
        assertTrue(Files.isExecutable(DeployFiles.REPOSITORY.resolve("mvnw")), "mvnw is what the build stage runs");
        assertTrue(dockerfile.contains("target/quarkus-app/quarkus-run.jar"), "runs Quarkus' fast-jar");
    }

    @Test
    void theBuildContextLeavesOutBuildOutputAndLocalSecrets() {
        String dockerignore = DeployFiles.read(DeployFiles.REPOSITORY.resolve(".dockerignore"));
        for (String excluded : List.of("**/target/", ".git/", "deploy/compose/.env")) {
            assertTrue(dockerignore.lines().anyMatch(excluded::equals), ".dockerignore must exclude " + excluded);
        }
    }

    @Test
    void theHeapShareIsSetAtRunTime() {
        assertTrue(dockerfile.contains("JAVA_MAX_RAM_PERCENTAGE=75"), "default heap share for the REST services");
        assertTrue(dockerfile.contains("exec java -XX:MaxRAMPercentage=\\\"${JAVA_MAX_RAM_PERCENTAGE}\\\""),
                "the entrypoint reads JAVA_MAX_RAM_PERCENTAGE when the container starts, and execs java as PID 1");
        assertTrue(dockerfile.contains("quarkus-run.jar \\\"$@\\\"\", \"--\"]"),
                "arguments given to the container reach the application (the gateway's create-tenant command)");
    }

    @Test
    void runsUnprivilegedWithAHealthCheck() {
        assertTrue(dockerfile.contains("\nUSER 185\n"), "runs as uid 185, not root");
        assertTrue(dockerfile.contains("HEALTHCHECK"), "has a container health check");
        assertTrue(dockerfile.contains("/q/health/live"), "the health check asks Quarkus' liveness endpoint");
    }

    private Map<String, String> stages() {
        Map<String, String> stages = new LinkedHashMap<>();
        Matcher from = STAGE.matcher(dockerfile);
        while (from.find()) {
            stages.put(from.group(2), from.group(1));
        }
        return stages;
    }

    private Map<String, String> args() {
        Map<String, String> args = new LinkedHashMap<>();
        Matcher arg = ARG.matcher(dockerfile);
        while (arg.find()) {
            args.putIfAbsent(arg.group(1), arg.group(2));
        }
        return args;
    }
}
